import { and, asc, eq } from "drizzle-orm";
import { memberships, type Role, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export async function listMembers(tx: TenantTx, input: { tenantId: string }) {
  return tx
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, input.tenantId))
    .orderBy(asc(users.displayName));
}

export type MemberChange = "ok" | "not_found" | "last_owner";

/**
 * Locks the tenant's owner rows, always in the same order and before any other row, so two
 * owners demoting each other at once are serialised (no deadlock) and the second sees the
 * first's change: an organisation always keeps at least one owner.
 */
async function lockOwners(tx: TenantTx, tenantId: string) {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .orderBy(asc(memberships.userId))
    .for("update");
  return owners.map((o) => o.userId);
}

/** Reads the member's role and locks their row for the change that follows. */
async function lockMembership(tx: TenantTx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .for("update");
  return row ?? null;
}

const isLastOwner = (owners: string[], userId: string) => owners.includes(userId) && owners.length === 1;

export async function changeMemberRole(tx: TenantTx, input: { tenantId: string; userId: string; role: Role }): Promise<MemberChange> {
  const owners = await lockOwners(tx, input.tenantId);
  const current = await lockMembership(tx, input.tenantId, input.userId);
  if (!current) return "not_found";
  if (input.role !== "owner" && isLastOwner(owners, input.userId)) return "last_owner";
  await tx
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)));
  return "ok";
}

export async function removeMember(tx: TenantTx, input: { tenantId: string; userId: string }): Promise<MemberChange> {
  const owners = await lockOwners(tx, input.tenantId);
  const current = await lockMembership(tx, input.tenantId, input.userId);
  if (!current) return "not_found";
  if (isLastOwner(owners, input.userId)) return "last_owner";
  await tx.delete(memberships).where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)));
  return "ok";
}
