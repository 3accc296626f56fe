import { invitations, memberships } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi } from "../../testing/api-client";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

async function ownerOfNewOrg() {
  const owner = await makeUser(db, "owner");
  const tenant = await makeTenant(db, owner.id);
  return { tenant, ownerApi: await as(owner.id, tenant.id) };
}

const newcomer = async () => as((await makeUser(db, "newcomer")).id, null);
const membersOf = async (tenantId: string) => (await db.select().from(memberships).where(eq(memberships.tenantId, tenantId))).length;
const usesOf = async (id: string) => (await db.select({ uses: invitations.uses }).from(invitations).where(eq(invitations.id, id)))[0]?.uses;

describe("invitation links count their uses", () => {
  it("a personal link (the default, 1 use) admits one person and refuses the second with a typed error", async () => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner" });
    expect(invite.maxUses).toBe(1);
    const first = await newcomer();
    await first.orgs.acceptInvitation({ token: invite.token });
    // The one who joined may open their link again: nothing changes, nothing is used.
    await first.orgs.acceptInvitation({ token: invite.token });
    const second = await newcomer();
    expect(await second.orgs.previewInvitation({ token: invite.token })).toMatchObject({ usedUp: true });
    await expect(second.orgs.acceptInvitation({ token: invite.token })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("used as many times as it allows"),
    });
    expect(await membersOf(tenant.id)).toBe(2);
    const [listed] = await ownerApi.orgs.invitations();
    expect(listed).toMatchObject({ id: invite.id, uses: 1, maxUses: 1, expiresAt: invite.expiresAt });
  });

  it("two people racing for a 1-use link: exactly one joins", async () => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner", maxUses: 1 });
    const racers = await Promise.all(Array.from({ length: 8 }, newcomer));
    const results = await Promise.allSettled(racers.map((api) => api.orgs.acceptInvitation({ token: invite.token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await membersOf(tenant.id)).toBe(2);
    expect(await usesOf(invite.id)).toBe(1);
  });

  it("an N-use link admits N people, concurrently too, and no more", async () => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner", maxUses: 3 });
    const racers = await Promise.all(Array.from({ length: 6 }, newcomer));
    const results = await Promise.allSettled(racers.map((api) => api.orgs.acceptInvitation({ token: invite.token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await membersOf(tenant.id)).toBe(4);
    expect(await usesOf(invite.id)).toBe(3);
    await expect((await newcomer()).orgs.acceptInvitation({ token: invite.token })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("an unlimited (class-wide) link admits everyone until it expires", async () => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner", maxUses: null });
    for (let i = 0; i < 12; i += 1) await (await newcomer()).orgs.acceptInvitation({ token: invite.token });
    expect(await membersOf(tenant.id)).toBe(13);
    setClock(() => new Date(invite.expiresAt.getTime() - 1));
    await (await newcomer()).orgs.acceptInvitation({ token: invite.token });
    setClock(() => new Date(invite.expiresAt.getTime()));
    const late = await newcomer();
    await expect(late.orgs.previewInvitation({ token: invite.token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(late.orgs.acceptInvitation({ token: invite.token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await membersOf(tenant.id)).toBe(14);
    expect((await ownerApi.orgs.invitations())[0]).toMatchObject({ uses: 13, maxUses: null });
  });

  it("a revoked link admits nobody; revoking twice is fine", async () => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    const invite = await ownerApi.orgs.createInvitation({ role: "learner", maxUses: null });
    await ownerApi.orgs.revokeInvitation({ invitationId: invite.id });
    const [first] = await db.select().from(invitations).where(eq(invitations.id, invite.id));
    await ownerApi.orgs.revokeInvitation({ invitationId: invite.id });
    const [second] = await db.select().from(invitations).where(eq(invitations.id, invite.id));
    expect(second?.revokedAt).toEqual(first?.revokedAt);
    await expect((await newcomer()).orgs.acceptInvitation({ token: invite.token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await membersOf(tenant.id)).toBe(1);
  });

  it.each([0, -1, 1.5, 10_001, "3"])("refuses maxUses %j as a bad request", async (value) => {
    const { tenant, ownerApi } = await ownerOfNewOrg();
    await expect(ownerApi.orgs.createInvitation({ role: "learner", maxUses: value as number })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(
      await db
        .select()
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenant.id))),
    ).toEqual([]);
  });
});
