import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { makeTenant, makeUser, testDatabase } from "../testing/factories";
import { claimSandbox, endSandbox, findSandboxAcrossTenants, listLiveSandboxesAcrossTenants, markSandboxRunning, touchSandbox } from "./sandboxes";

// Factories write as the owner; the queries run as lab-runner's own role, as in production.
const owner = testDatabase();
const runner = testDatabase("labRunner");
afterAll(() => Promise.all([owner.close(), runner.close()]));

const limits = { ttlMs: 60_000, perLearner: 1, perTenant: 10 };

async function claimed() {
  const user = await makeUser(owner.db, "learner");
  const tenant = await makeTenant(owner.db, user.id);
  const other = await makeTenant(owner.db, user.id);
  const driver = `test-${randomUUID().slice(0, 8)}`;
  const sandbox = { id: `sb-${randomUUID().slice(0, 8)}`, userId: user.id, labSlug: "kafka-sensor-readings", labVersion: 1, seed: "seed", driver };
  const now = new Date();
  const { row } = await claimSandbox(runner.db, { tenantId: tenant.id, sandbox, limits, now });
  return { row, tenantId: tenant.id, otherTenantId: other.id, driver, now };
}

describe("lab-runner's sandbox queries (as cookbook_lab_runner)", () => {
  it("writes only the sandbox of the tenant named: another tenant's id changes nothing", async () => {
    const { row, otherTenantId, now } = await claimed();
    const elsewhere = { tenantId: otherTenantId, sandboxId: row.id };
    await markSandboxRunning(runner.db, elsewhere);
    await touchSandbox(runner.db, { ...elsewhere, now: new Date(now.getTime() + 1000) });
    expect(await endSandbox(runner.db, { ...elsewhere, reason: "stopped", failure: null, now })).toBeNull();
    expect(await findSandboxAcrossTenants(runner.db, { sandboxId: row.id })).toMatchObject({
      state: "provisioning",
      lastActivityAt: now,
      endedAt: null,
    });
  });

  it("runs, touches and ends the sandbox of its own tenant, once", async () => {
    const { row, tenantId, driver, now } = await claimed();
    const mine = { tenantId, sandboxId: row.id };
    await markSandboxRunning(runner.db, mine);
    const later = new Date(now.getTime() + 1000);
    await touchSandbox(runner.db, { ...mine, now: later });
    expect(await listLiveSandboxesAcrossTenants(runner.db, { driver })).toMatchObject([{ id: row.id, state: "running", lastActivityAt: later }]);
    expect(await endSandbox(runner.db, { ...mine, reason: "stopped", failure: null, now: later })).toMatchObject({
      state: "ended",
      endedReason: "stopped",
    });
    expect(await endSandbox(runner.db, { ...mine, reason: "stopped", failure: null, now: later })).toBeNull();
    expect(await listLiveSandboxesAcrossTenants(runner.db, { driver })).toEqual([]);
  });
});
