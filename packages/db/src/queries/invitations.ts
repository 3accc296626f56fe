import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../client";
import { invitations, memberships, type Role, tenants, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createInvitation(tx: TenantTx, input: { tenantId: string; role: Role; createdBy: string; ttlMs: number }) {
  const token = randomBytes(24).toString("base64url");
  const [row] = await tx
    .insert(invitations)
    .values({
      tenantId: input.tenantId,
      tokenHash: hashToken(token),
      role: input.role,
      createdBy: input.createdBy,
      expiresAt: new Date(Date.now() + input.ttlMs),
    })
    .returning({ id: invitations.id, role: invitations.role, expiresAt: invitations.expiresAt });
  if (!row) throw new Error("invitation insert returned nothing");
  return { ...row, token };
}

export async function listInvitations(tx: TenantTx, tenantId: string) {
  return tx
    .select({
      id: invitations.id,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      revokedAt: invitations.revokedAt,
      createdAt: invitations.createdAt,
      createdBy: users.displayName,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.createdBy))
    .where(eq(invitations.tenantId, tenantId))
    .orderBy(desc(invitations.createdAt));
}

/** Returns false when no such invitation exists in this tenant. */
export async function revokeInvitation(tx: TenantTx, input: { tenantId: string; invitationId: string }) {
  const rows = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.tenantId, input.tenantId), eq(invitations.id, input.invitationId)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** What an invitation link offers, or null when it is unknown, expired or revoked. */
export async function findUsableInvitation(db: Database, token: string) {
  const [row] = await db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: invitations.role })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())));
  return row ?? null;
}

/**
 * Joins the user to the invitation's organisation. Idempotent: an existing member keeps the
 * role they have (an invitation never demotes anyone).
 */
export async function acceptInvitation(db: Database, input: { token: string; userId: string }) {
  const invitation = await findUsableInvitation(db, input.token);
  if (!invitation) return null;
  await db
    .insert(memberships)
    .values({ tenantId: invitation.tenantId, userId: input.userId, role: invitation.role })
    .onConflictDoNothing();
  return invitation;
}
