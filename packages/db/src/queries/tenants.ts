import { and, asc, eq } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { memberships, tenants } from "../schema/index";

/**
 * Platform-level queries: they run before a tenant is resolved (membership lookup, creating
 * an organisation), so they use the platform connection rather than `withTenant`.
 */

export async function createTenantWithOwner(db: Database, input: { slug: string; name: string; ownerId: string }) {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ slug: input.slug, name: input.name })
      .onConflictDoNothing({ target: tenants.slug })
      .returning();
    if (!tenant) return null;
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: input.ownerId, role: "owner" });
    return tenant;
  });
}

export async function getMembership(db: Executor, userId: string, tenantId: string) {
  const [row] = await db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)));
  return row ?? null;
}

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(tenants.name));
}
