import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createInvitation } from "./queries/invitations";
import { listMembers } from "./queries/members";
import { memberships, invitations } from "./schema/index";
import { withTenant } from "./tenant-scope";
import { makeTenant, makeUser, testDatabase } from "./testing/factories";

const { db, close } = testDatabase();
afterAll(close);

describe("row-level security", () => {
  it("confines an unfiltered query to the current tenant", async () => {
    const alice = await makeUser(db, "alice");
    const bob = await makeUser(db, "bob");
    const a = await makeTenant(db, alice.id);
    const b = await makeTenant(db, bob.id);

    // No where-clause at all: only the policy stands between tenant A and tenant B's rows.
    const seen = await withTenant(db, a.id, (tx) => tx.select().from(memberships));
    expect(seen.map((m) => m.tenantId)).toEqual([a.id]);
    expect(seen.some((m) => m.tenantId === b.id)).toBe(false);
  });

  it("refuses to write a row into another tenant", async () => {
    const alice = await makeUser(db, "alice");
    const a = await makeTenant(db, alice.id);
    const b = await makeTenant(db, alice.id);
    const error = await withTenant(db, a.id, (tx) => tx.insert(memberships).values({ tenantId: b.id, userId: alice.id, role: "learner" })).catch(
      (e: unknown) => e,
    );
    // drizzle wraps the PostgreSQL error; the policy violation is its cause.
    expect(String((error as Error).cause)).toMatch(/row-level security/);
  });

  it("hides other tenants' invitations and leaves them untouched on update", async () => {
    const alice = await makeUser(db, "alice");
    const a = await makeTenant(db, alice.id);
    const b = await makeTenant(db, alice.id);
    await withTenant(db, b.id, (tx) =>
      createInvitation(tx, { tenantId: b.id, role: "learner", createdBy: alice.id, ttlMs: 60_000, maxUses: 1, now: new Date() }),
    );
    const updated = await withTenant(db, a.id, (tx) => tx.update(invitations).set({ revokedAt: new Date() }).returning());
    expect(updated).toEqual([]);
    const [row] = await db
      .execute<{ revoked: number }>(sql`select count(*)::int as revoked from invitations where tenant_id = ${b.id} and revoked_at is not null`)
      .then((r) => r.rows);
    expect(row?.revoked).toBe(0);
  });

  it("shows no tenant rows at all when no tenant is set", async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`set local role cookbook_tenant`);
      return tx.select().from(memberships);
    });
    expect(rows).toEqual([]);
  });
});

describe("TenantTx", () => {
  it("is made by withTenant only: a tenant query refuses a plain transaction at compile time", async () => {
    const alice = await makeUser(db, "alice");
    const a = await makeTenant(db, alice.id);
    expect(await withTenant(db, a.id, (tx) => listMembers(tx, { tenantId: a.id }))).toHaveLength(1);
    // Without the brand this line compiles, the directive is unused and typecheck fails.
    // @ts-expect-error a transaction that never set the tenant's role and app.tenant_id is not a TenantTx
    await db.transaction((tx) => listMembers(tx, { tenantId: a.id }));
  });
});

describe("last owner", () => {
  it("two owners demoting each other at once leave one owner", async () => {
    const { changeMemberRole } = await import("./queries/members");
    const alice = await makeUser(db, "alice");
    const bob = await makeUser(db, "bob");
    const tenant = await makeTenant(db, alice.id);
    await db.insert(memberships).values({ tenantId: tenant.id, userId: bob.id, role: "owner" });
    const results = await Promise.all(
      [alice.id, bob.id].map((userId) => withTenant(db, tenant.id, (tx) => changeMemberRole(tx, { tenantId: tenant.id, userId, role: "learner" }))),
    );
    expect(results.sort()).toEqual(["last_owner", "ok"]);
    const owners = await withTenant(db, tenant.id, (tx) => tx.select().from(memberships));
    expect(owners.filter((m) => m.role === "owner")).toHaveLength(1);
  });
});
