import { createUser } from "@cookbook/db/queries/users";
import { labSandboxes, memberships } from "@cookbook/db/schema";
import { makeTenant, makeUser, testDatabase } from "@cookbook/db/testing/factories";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/server/auth/password";
import { loadApi, testLabRunnerSecret } from "../../testing/api-client";
import { startTestLabRunner } from "../../testing/lab-runner";

/* Deleting an account or an organisation stops its live sandboxes through the real lab-runner. */

const labDb = testDatabase("labRunner");
const runner = await startTestLabRunner(labDb.db, testLabRunnerSecret, "web-data-rights");
const { db, pool, as } = await loadApi({ url: runner.url, secret: testLabRunnerSecret });
afterAll(async () => {
  await runner.stop();
  await labDb.close();
  await pool.end();
});

const password = "correct horse battery staple";

/** A live sandbox as lab-runner would have it: provisioned by its driver, recorded as running. */
async function liveSandbox(tenantId: string, userId: string) {
  const sandboxId = `sb-drl-${randomUUID().slice(0, 10)}`;
  await runner.driver.provision({ sandboxId, services: ["spark"], seed: "seed" });
  await db.insert(labSandboxes).values({
    id: sandboxId,
    tenantId,
    userId,
    labSlug: "kafka-sensor-readings",
    labVersion: 1,
    seed: "seed",
    driver: "local",
    state: "running",
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  expect(await runner.driver.status(sandboxId)).not.toBeNull();
  return sandboxId;
}

describe("deletions stop the sandboxes they take away", () => {
  it("deleting an account stops the user's running sandbox", async () => {
    const id = randomUUID();
    await createUser(db, {
      id,
      email: `lab-leaver-${id.slice(0, 8)}@example.test`,
      displayName: "Lab Leaver",
      passwordHash: await hashPassword(password),
    });
    const owner = await makeUser(db, "owner");
    const tenant = await makeTenant(db, owner.id);
    await db.insert(memberships).values({ tenantId: tenant.id, userId: id, role: "learner" });
    const sandboxId = await liveSandbox(tenant.id, id);
    expect(await (await as(id, tenant.id)).account.delete({ password })).toEqual({ deletedOrganisations: [], sandboxesLeftToReaper: 0 });
    expect(await runner.driver.status(sandboxId)).toBeNull();
  });

  it("deleting an organisation stops its members' running sandboxes", async () => {
    const owner = await makeUser(db, "owner");
    const learner = await makeUser(db, "learner");
    const tenant = await makeTenant(db, owner.id);
    await db.insert(memberships).values({ tenantId: tenant.id, userId: learner.id, role: "learner" });
    const sandboxId = await liveSandbox(tenant.id, learner.id);
    expect(await (await as(owner.id, tenant.id)).orgs.delete({ tenantId: tenant.id, confirmName: tenant.name })).toEqual({
      ok: true,
      sandboxesLeftToReaper: 0,
    });
    expect(await runner.driver.status(sandboxId)).toBeNull();
  });
});
