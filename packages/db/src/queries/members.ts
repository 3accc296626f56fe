import { and, asc, eq, ne, sql } from "drizzle-orm";
import { memberships, type Role, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export async function listMembers(tx: TenantTx, tenantId: string) {
  return tx
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.displayName));
}

export type MemberChange = "ok" | "not_found" | "last_owner";

/** An organisation always keeps at least one owner. */
async function wouldRemoveLastOwner(tx: TenantTx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ others: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner"), ne(memberships.userId, userId)));
  return (row?.others ?? 0) === 0;
}

export async function changeMemberRole(tx: TenantTx, input: { tenantId: string; userId: string; role: Role }): Promise<MemberChange> {
  const [current] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)))
    .for("update");
  if (!current) return "not_found";
  if (current.role === "owner" && input.role !== "owner" && (await wouldRemoveLastOwner(tx, input.tenantId, input.userId))) {
    return "last_owner";
  }
  await tx
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)));
  return "ok";
}

export async function removeMember(tx: TenantTx, input: { tenantId: string; userId: string }): Promise<MemberChange> {
  const [current] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)))
    .for("update");
  if (!current) return "not_found";
  if (current.role === "owner" && (await wouldRemoveLastOwner(tx, input.tenantId, input.userId))) return "last_owner";
  await tx.delete(memberships).where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.userId, input.userId)));
  return "ok";
}
