import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../client";
import { invitations, memberships, type Role, tenants, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface NewInvitation {
  tenantId: string;
  role: Role;
  createdBy: string;
  ttlMs: number;
  /** How many people may join through the link; null: anyone holding it, until it expires. */
  maxUses: number | null;
  now: Date;
}

export async function createInvitation(tx: TenantTx, input: NewInvitation) {
  const token = randomBytes(24).toString("base64url");
  const [row] = await tx
    .insert(invitations)
    .values({
      tenantId: input.tenantId,
      tokenHash: hashToken(token),
      role: input.role,
      createdBy: input.createdBy,
      maxUses: input.maxUses,
      expiresAt: new Date(input.now.getTime() + input.ttlMs),
    })
    .returning({ id: invitations.id, role: invitations.role, expiresAt: invitations.expiresAt, maxUses: invitations.maxUses });
  if (!row) throw new Error("invitation insert returned nothing");
  return { ...row, token };
}

export async function listInvitations(tx: TenantTx, input: { tenantId: string }) {
  return tx
    .select({
      id: invitations.id,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      revokedAt: invitations.revokedAt,
      uses: invitations.uses,
      maxUses: invitations.maxUses,
      createdAt: invitations.createdAt,
      createdBy: users.displayName,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.createdBy))
    .where(eq(invitations.tenantId, input.tenantId))
    .orderBy(desc(invitations.createdAt));
}

/** Returns false when no such invitation exists in this tenant; revoking twice keeps the first time. */
export async function revokeInvitation(tx: TenantTx, input: { tenantId: string; invitationId: string; now: Date }) {
  const rows = await tx
    .update(invitations)
    .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, ${input.now})` })
    .where(and(eq(invitations.tenantId, input.tenantId), eq(invitations.id, input.invitationId)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

const live = (now: Date) => and(isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
const hasUsesLeft = or(isNull(invitations.maxUses), lt(invitations.uses, invitations.maxUses));

export type InvitationOffer = { id: string; tenantId: string; slug: string; name: string; role: Role; usedUp: boolean };

/** What an invitation link offers (`usedUp` once it reached its maximum), or null when it is unknown, expired or revoked. */
export async function findUsableInvitation(db: Database, token: string, now: Date): Promise<InvitationOffer | null> {
  const [row] = await db
    .select({
      id: invitations.id,
      tenantId: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      role: invitations.role,
      usedUp: sql<boolean>`not coalesce(${hasUsesLeft}, false)`,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), live(now)));
  return row ?? null;
}

export type AcceptResult =
  | { status: "joined" | "already_member"; invitation: InvitationOffer }
  | { status: "used_up"; invitation: InvitationOffer }
  | { status: "not_found" };

/** Thrown inside the transaction to undo the membership of a join that lost the race for the last use. */
class UsedUp extends Error {}

/** PostgreSQL's foreign_key_violation, wherever drizzle put it (it wraps driver errors in `cause`). */
function foreignKeyViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ((error as { code?: unknown }).code === "23503") return true;
  return "cause" in error && foreignKeyViolation(error.cause);
}

/**
 * Joins the user to the invitation's organisation and counts one use, in one transaction.
 * Idempotent: an existing member keeps their role (an invitation never demotes anyone) and
 * uses nothing. The use is counted by an UPDATE whose WHERE re-checks the maximum on the
 * latest row version, so of two people racing for a link's last use exactly one joins; the
 * other's membership is rolled back.
 */
export async function acceptInvitation(db: Database, input: { token: string; userId: string; now: Date }): Promise<AcceptResult> {
  const invitation = await findUsableInvitation(db, input.token, input.now);
  if (!invitation) return { status: "not_found" };
  try {
    return await db.transaction(async (tx) => {
      const joined = await tx
        .insert(memberships)
        .values({ tenantId: invitation.tenantId, userId: input.userId, role: invitation.role })
        .onConflictDoNothing()
        .returning({ userId: memberships.userId });
      if (joined.length === 0) return { status: "already_member" as const, invitation };
      const counted = await tx
        .update(invitations)
        .set({ uses: sql`${invitations.uses} + 1` })
        .where(and(eq(invitations.id, invitation.id), live(input.now), hasUsesLeft))
        .returning({ id: invitations.id });
      if (counted.length === 0) throw new UsedUp();
      return { status: "joined" as const, invitation };
    });
  } catch (error) {
    if (error instanceof UsedUp) {
      const again = await findUsableInvitation(db, input.token, input.now);
      return again ? { status: "used_up", invitation: again } : { status: "not_found" };
    }
    // The organisation was deleted while this user was joining it.
    if (foreignKeyViolation(error)) return { status: "not_found" };
    throw error;
  }
}
