import pino from "pino";
import { labs, type Lab } from "@cookbook/content/labs";
import { makeTenant, makeUser, testDatabase } from "@cookbook/db/testing/factories";
import { afterAll, describe, expect, it } from "vitest";
import { FakeSandboxDriver } from "../testing/fake-sandbox-driver";
import type { SandboxPolicy } from "./config";
import { createLabRunnerMetrics } from "./observability/metrics";
import { SandboxManager } from "./sandbox-manager";
import { SandboxStore } from "./sandbox-store";

/**
 * reconcile and reap on the fake driver: the manager's decisions against real Postgres rows, in
 * milliseconds. Time is the manager's injected clock, moved by the tests, never slept through.
 */

// Factories write as the owner; the manager runs as lab-runner's own role, as under the launcher.
const owner = testDatabase();
const runner = testDatabase("labRunner");
const store = new SandboxStore(runner.db);
/** A Kafka lab the fake driver can seed: a dataset in the workspace, no seeded topics (those need a real broker). */
const kafkaLab = labs.find((lab) => lab.services.length === 1 && lab.services[0] === "kafka" && lab.dataset && !lab.seededTopics) as Lab;
const minutes = (n: number) => n * 60_000;
const basePolicy: SandboxPolicy = { ttlMs: minutes(120), idleMs: minutes(30), perLearner: 1, perTenant: 10 };
let worlds = 0;

afterAll(async () => {
  await owner.close();
  await runner.close();
});

async function learner() {
  const user = await makeUser(owner.db, "learner");
  const tenant = await makeTenant(owner.db, user.id);
  return { userId: user.id, tenantId: tenant.id, labSlug: kafkaLab.slug };
}

/**
 * One driver, one clock and a driver name of their own per test: the database is shared with
 * other test files (and earlier tests), and reconcile and reap only look at their driver's rows.
 */
function world(policy: SandboxPolicy = basePolicy) {
  let time = Date.now();
  const driver = new FakeSandboxDriver();
  const driverName = `fake-${process.pid}-${++worlds}`;
  const metrics = createLabRunnerMetrics(runner.db);
  /** A lab-runner process; a second call is that process restarted (nothing in memory survives). */
  const manager = (findLab: (slug: string) => Lab | undefined = (slug) => labs.find((lab) => lab.slug === slug)) =>
    new SandboxManager({ store, driver, driverName, policy, findLab, logger: pino({ level: "silent" }), metrics, clock: () => new Date(time) });
  const actions = async () => Object.fromEntries((await metrics.reaperActions.get()).values.map((v) => [v.labels.reason, v.value]));
  return { driver, driverName, manager, actions, advance: (ms: number) => (time += ms), now: () => new Date(time) };
}

async function running(manager: SandboxManager) {
  const { sandbox } = await manager.start(await learner());
  await manager.settled();
  expect((await manager.view(sandbox.id)).state).toBe("running");
  return sandbox.id;
}

describe("SandboxManager.reconcile (a lab-runner restart)", () => {
  it("adopts a live sandbox, provisioning again the service that stopped while lab-runner was down", async () => {
    const w = world();
    const id = await running(w.manager());
    w.driver.setServiceStatus(id, "kafka", { state: "stopped" });
    const restarted = w.manager();
    expect(await restarted.reconcile()).toEqual({ adopted: 1, resumed: 0, lost: 0, orphans: 0 });
    await restarted.settled();
    expect((await w.driver.status(id))?.services).toEqual({ kafka: { state: "ready" } });
    expect(await restarted.view(id)).toMatchObject({ state: "running", services: { kafka: { state: "ready" } } });
  });

  it("resumes a start interrupted before the driver heard of it: provisioned, seeded, running", async () => {
    const w = world();
    const me = await learner();
    // What a lab-runner killed right after claiming leaves: a provisioning row, nothing in the driver.
    const { row } = await store.claim(
      { ...me, id: `sb-resume-${process.pid}-${worlds}`, labVersion: kafkaLab.version, seed: "resume-seed", driver: w.driverName },
      basePolicy,
      w.now(),
    );
    expect(await w.driver.status(row.id)).toBeNull();
    const restarted = w.manager();
    expect(await restarted.reconcile()).toEqual({ adopted: 0, resumed: 1, lost: 0, orphans: 0 });
    await restarted.settled();
    expect((await restarted.view(row.id)).state).toBe("running");
    expect((await w.driver.status(row.id))?.spec).toMatchObject({ seed: "resume-seed", owner: { userId: me.userId, labSlug: kafkaLab.slug } });
    const dataset = await w.driver.exec(row.id, ["sh", "-c", `wc -l < ${kafkaLab.dataset?.file}`]);
    expect(Number(dataset.stdout)).toBeGreaterThan(1);
  });

  it("ends as lost a running sandbox the driver no longer has, and one whose lab is gone", async () => {
    const w = world();
    const vanished = await running(w.manager());
    const labless = await running(w.manager());
    await w.driver.destroy(vanished);
    const restarted = w.manager();
    // The second is adopted; a later restart that no longer knows its lab loses it too.
    expect(await restarted.reconcile()).toEqual({ adopted: 1, resumed: 0, lost: 1, orphans: 0 });
    await restarted.settled();
    expect(await restarted.view(vanished)).toMatchObject({
      state: "ended",
      endedReason: "lost",
      failure: "Its services were gone after a restart of the lab service.",
    });
    const withoutLab = w.manager(() => undefined);
    expect(await withoutLab.reconcile()).toEqual({ adopted: 0, resumed: 0, lost: 1, orphans: 0 });
    expect(await w.driver.status(labless)).toBeNull();
    expect(await store.getAcrossTenants(labless)).toMatchObject({ state: "ended", endedReason: "lost", failure: "Its lab no longer exists." });
    expect(await w.actions()).toEqual({ lost: 2 });
  });

  it("destroys an orphan (in the driver, not wanted by Postgres) and spares the wanted sandbox", async () => {
    const w = world();
    const wanted = await running(w.manager());
    await w.driver.provision({ sandboxId: "sb-orphan", services: ["kafka"], seed: "o" });
    const restarted = w.manager();
    expect(await restarted.reconcile()).toEqual({ adopted: 1, resumed: 0, lost: 0, orphans: 1 });
    await restarted.settled();
    expect((await w.driver.list()).map((spec) => spec.sandboxId)).toEqual([wanted]);
    expect(await w.actions()).toEqual({ orphan: 1 });
  });
});

describe("SandboxManager.reap", () => {
  it("ends a sandbox at its TTL, used or not, and not a second before", async () => {
    // Idle longer than the TTL, so only the TTL can end it.
    const w = world({ ...basePolicy, ttlMs: minutes(60), idleMs: minutes(90) });
    const manager = w.manager();
    const id = await running(manager);
    w.advance(minutes(60) - 1000);
    await manager.touch(id);
    expect(await manager.reap()).toBe(0);
    expect((await w.driver.status(id))?.services.kafka).toEqual({ state: "ready" });
    w.advance(2000);
    expect(await manager.reap()).toBe(1);
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "expired", failure: expect.stringMatching(/time limit/) });
    expect(await w.driver.status(id)).toBeNull();
    expect(await manager.reap()).toBe(0);
    expect(await w.actions()).toEqual({ expired: 1 });
  });

  it("ends a sandbox nobody used for the idle time; each use pushes that deadline back", async () => {
    const w = world();
    const manager = w.manager();
    const id = await running(manager);
    w.advance(minutes(30) - 1000);
    expect(await manager.reap()).toBe(0);
    await manager.touch(id);
    // 60 minutes after the start, but only 30 minus a second since the last use.
    w.advance(minutes(30) - 1000);
    expect(await manager.reap()).toBe(0);
    w.advance(2000);
    expect(await manager.reap()).toBe(1);
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "idle" });
    expect(await w.driver.status(id)).toBeNull();
    expect(await w.actions()).toEqual({ idle: 1 });
  });

  it("keeps a sandbox while a Spark job runs past its idle deadline; idleness counts from the job's end", async () => {
    const w = world();
    const manager = w.manager();
    const id = await running(manager);
    w.driver.setActivity(id, { runningSparkApplications: 1 });
    // 50 minutes without input or checks, a reaper round every 5 minutes.
    for (let round = 0; round < 10; round++) {
      w.advance(minutes(5));
      expect(await manager.reap()).toBe(0);
    }
    expect(await manager.view(id)).toMatchObject({ state: "running" });
    w.driver.setActivity(id, { runningSparkApplications: 0 });
    w.advance(minutes(30) - 1000);
    expect(await manager.reap()).toBe(0);
    w.advance(2000);
    expect(await manager.reap()).toBe(1);
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "idle" });
    expect(await w.actions()).toEqual({ idle: 1 });
  });

  it("ends a sandbox at its TTL though a job runs", async () => {
    const w = world({ ...basePolicy, ttlMs: minutes(60) });
    const manager = w.manager();
    const id = await running(manager);
    w.driver.setActivity(id, { runningSparkApplications: 1, activeConsumerGroups: ["fleet-tracker"] });
    w.advance(minutes(60) - 1000);
    expect(await manager.reap()).toBe(0);
    w.advance(2000);
    expect(await manager.reap()).toBe(1);
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "expired" });
  });

  it("keeps a sandbox whose programs use more than 5% of a core over a minute, and not one below", async () => {
    const w = world();
    const manager = w.manager();
    const id = await running(manager);
    let cpuSeconds = 0;
    const minuteAt = async (share: number, extraMs = 0) => {
      cpuSeconds += 60 * share;
      w.driver.setActivity(id, { learnerCpuSeconds: cpuSeconds });
      w.advance(minutes(1) + extraMs);
      return manager.reap();
    };
    // 40 minutes of a job at 6% of a core: never idle.
    for (let minute = 0; minute < 40; minute++) expect(await minuteAt(0.06)).toBe(0);
    expect(await manager.view(id)).toMatchObject({ state: "running" });
    // Then 4%: idle from the last busy minute on, so ended 30 minutes later.
    for (let minute = 0; minute < 29; minute++) expect(await minuteAt(0.04)).toBe(0);
    expect(await minuteAt(0.04, 1000)).toBe(1);
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "idle" });
  });

  it("keeps a sandbox with a consumer group's members, and one looked at between rounds while a job runs", async () => {
    const w = world();
    const manager = w.manager();
    const consuming = await running(manager);
    const sparking = await running(manager);
    w.driver.setActivity(consuming, { activeConsumerGroups: ["fleet-tracker"] });
    w.driver.setActivity(sparking, { runningSparkApplications: 2 });
    w.advance(minutes(31));
    // No reaper round since the start: looking at it finds the job.
    expect(await manager.view(sparking)).toMatchObject({ state: "running" });
    expect(await manager.reap()).toBe(0);
    w.driver.setActivity(consuming, { activeConsumerGroups: [] });
    w.advance(minutes(31));
    expect(await manager.reap()).toBe(1);
    expect(await manager.view(consuming)).toMatchObject({ state: "ended", endedReason: "idle" });
    expect(await manager.view(sparking)).toMatchObject({ state: "running" });
  });

  it("reaps a sandbox past its deadline when it is looked at, before the reaper's next round", async () => {
    const w = world();
    const manager = w.manager();
    const id = await running(manager);
    w.advance(minutes(31));
    expect(await manager.view(id)).toMatchObject({ state: "ended", endedReason: "idle" });
    expect(await w.driver.status(id)).toBeNull();
  });
});
