import pino from "pino";
import { readFileSync } from "node:fs";
import { labs, type Lab } from "@cookbook/content/labs";
import { labSandboxes } from "@cookbook/db/schema";
import { makeTenant, makeUser, testDatabase } from "@cookbook/db/testing/factories";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createLabRunnerClient } from "@cookbook/lab-runner-api/client";
import { signTerminalToken } from "@cookbook/lab-runner-api/terminal-token";
import { processesUnder } from "../driver/local/process-tree";
import { installLabSoftware, sweepKilledRuns, testDriver } from "../testing/test-sandboxes";
import type { SandboxPolicy } from "./config";
import { startLabRunnerServer, type LabRunnerServer } from "./server";
import { SandboxStore } from "./sandbox-store";

// Factories write as the owner; the service runs as lab-runner's own role, as under the launcher.
const { db, close } = testDatabase();
const runnerDb = testDatabase("labRunner");
const secret = "s".repeat(40);
const policy: SandboxPolicy = { ttlMs: 2 * 3_600_000, idleMs: 30 * 60_000, perLearner: 1, perTenant: 10 };
const kafkaLab = labs.find((lab) => lab.services.length === 1 && lab.services[0] === "kafka") as Lab;
const otherLab = labs.find((lab) => lab.slug !== kafkaLab.slug) as Lab;
const sandboxes = testDriver("service");
let server: LabRunnerServer;
let client: ReturnType<typeof createLabRunnerClient>;

const start = (opts: Partial<Parameters<typeof startLabRunnerServer>[0]> = {}) =>
  // A driver name of its own: other test files share the database, and their sandboxes are not ours to reap.
  startLabRunnerServer({
    db: runnerDb.db,
    driver: sandboxes.driver,
    driverName: `local-test-${process.pid}`,
    secret,
    policy,
    logger: pino({ level: "silent" }),
    ...opts,
  });

async function learner() {
  const user = await makeUser(db, "learner");
  const tenant = await makeTenant(db, user.id);
  return { userId: user.id, tenantId: tenant.id };
}

async function untilRunning(sandboxId: string) {
  await server.manager.settled();
  const view = await client.get(sandboxId);
  expect(view.state, view.failure ?? "").toBe("running");
  return view;
}

beforeAll(async () => {
  installLabSoftware();
  await sweepKilledRuns();
  server = await start();
  client = createLabRunnerClient({ baseUrl: server.url, secret });
}, 1_200_000);

afterAll(async () => {
  await server?.close();
  await sandboxes.destroyAll();
  await close();
  await runnerDb.close();
});

describe("limits in Postgres", () => {
  it("keeps to the tenant limit when two lab-runner replicas race", async () => {
    const owner = await makeUser(db, "owner");
    const tenant = await makeTenant(db, owner.id);
    const learners = await Promise.all([1, 2, 3, 4, 5, 6].map(() => makeUser(db, "racer")));
    // Two stores on two pools stand for two replicas: only Postgres can keep them in line.
    const replicas = [testDatabase("labRunner"), testDatabase("labRunner")] as const;
    const tight = { ...policy, perTenant: 4 };
    const results = await Promise.allSettled(
      learners.map((user, i) =>
        new SandboxStore((i % 2 === 0 ? replicas[0] : replicas[1]).db).claim(
          { id: `race-${i}-${Date.now()}`, tenantId: tenant.id, userId: user.id, labSlug: kafkaLab.slug, labVersion: 1, seed: "x", driver: "none" },
          tight,
        ),
      ),
    );
    await Promise.all(replicas.map((r) => r.close()));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    const refusals = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    expect(refusals).toEqual([expect.stringMatching(/limit/), expect.stringMatching(/limit/)]);
  });
});

describe("internal API", () => {
  it("answers /health without credentials and refuses everything else without them", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", driver: `local-test-${process.pid}`, database: { reachable: true } });
    const anonymous = await fetch(`${server.url}/v1/sandboxes`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    const wrong = createLabRunnerClient({ baseUrl: server.url, secret: "t".repeat(40) });
    await expect(wrong.get("sb-anything")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects bad input and unknown labs with messages, creating nothing", async () => {
    const me = await learner();
    await expect(client.start({ ...me, labSlug: "no-such-lab" })).rejects.toMatchObject({
      code: "UNKNOWN_LAB",
      message: 'There is no lab called "no-such-lab".',
    });
    const bad = await fetch(`${server.url}/v1/sandboxes`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: '{"tenantId":"nope"}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST", message: expect.stringMatching(/tenantId/) } });
    await expect(client.get("sb-unknown")).rejects.toMatchObject({ code: "SANDBOX_NOT_FOUND" });
    const rows = await db.select().from(labSandboxes).where(eq(labSandboxes.userId, me.userId));
    expect(rows).toEqual([]);
  });
});

describe("a learner's sandbox, on real Kafka", () => {
  let me: { userId: string; tenantId: string };
  let sandboxId: string;

  it("starts, becomes ready, and a second start returns the same sandbox", async () => {
    me = await learner();
    const first = await client.start({ ...me, labSlug: kafkaLab.slug });
    expect(first.created).toBe(true);
    expect(first.sandbox.state).toBe("provisioning");
    sandboxId = first.sandbox.id;
    const again = await client.start({ ...me, labSlug: kafkaLab.slug });
    expect(again).toMatchObject({ created: false, sandbox: { id: sandboxId } });
    const ready = await untilRunning(sandboxId);
    expect(ready.services).toEqual({ kafka: { state: "ready" } });
    expect(Date.parse(ready.endsAt) - Date.parse(ready.createdAt)).toBeLessThanOrEqual(policy.idleMs + 1000);
  });

  it("refuses a second lab over the learner's limit, naming the running one", async () => {
    await expect(client.start({ ...me, labSlug: otherLab.slug })).rejects.toMatchObject({
      code: "LEARNER_LIMIT",
      message: expect.stringContaining(kafkaLab.slug),
    });
  });

  it("grades the untouched sandbox as failing every step, with feedback", async () => {
    const { grade } = await client.check(sandboxId);
    expect(grade).toMatchObject({ labSlug: kafkaLab.slug, labVersion: kafkaLab.version, score: 0 });
    expect(grade.steps.every((step) => !step.passed && step.checks.some((c) => c.feedback.length > 0))).toBe(true);
  });

  it("gives a confined shell over the terminal socket, with the sandbox's tools and nothing of the platform's", async () => {
    const token = signTerminalToken({ sandboxId, userId: me.userId, expiresAt: new Date(Date.now() + 60_000) }, secret);
    const url = client.terminalUrl(server.url, sandboxId, token);
    const output = await terminalSession(url, [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, typed into the terminal as is.
      "echo user=$(id -u) secret=${LAB_RUNNER_SECRET:-none} db=${DATABASE_URL:-none}",
      `ls ${sandboxes.baseDir} 2>&1 | head -3; ls /work 2>&1 | head -1; ls -d /root/.ssh 2>&1; ls /proc | grep -c '^[0-9]'`,
      "kafka-topics.sh --bootstrap-server $KAFKA_BOOTSTRAP_SERVERS --create --topic from-terminal --partitions 2 && echo created-ok",
      "exit",
    ]);
    expect(output).toContain("user=1000 secret=none db=none");
    // Only this sandbox's directory exists inside; its siblings and the repo's other files do not.
    expect(output).toMatch(new RegExp(`${sandboxId}\\r?\\n`));
    expect(output).toMatch(/ls: cannot access '\/root\/\.ssh': No such file or directory/);
    expect(output).toContain("created-ok");
    const topics = await sandboxes.driver.exec(sandboxId, ["sh", "-c", "kafka-topics.sh --bootstrap-server $KAFKA_BOOTSTRAP_SERVERS --list"]);
    expect(topics.stdout).toContain("from-terminal");
  });

  it("refuses the terminal with a bad token, another user's token or an expired one", async () => {
    const expired = signTerminalToken({ sandboxId, userId: me.userId, expiresAt: new Date(Date.now() - 1000) }, secret);
    const someoneElse = signTerminalToken({ sandboxId, userId: "intruder", expiresAt: new Date(Date.now() + 60_000) }, secret);
    const forged = signTerminalToken({ sandboxId, userId: me.userId, expiresAt: new Date(Date.now() + 60_000) }, "f".repeat(40));
    for (const token of [expired, someoneElse, forged, "garbage"]) {
      expect(await closeCode(client.terminalUrl(server.url, sandboxId, token))).toBe(4401);
    }
  });

  it("reports a broker killed behind its back, and a second start brings it back", async () => {
    const root = `${sandboxes.baseDir}/${sandboxId}`;
    const broker = processesUnder(root).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka"));
    if (broker === undefined) throw new Error("no Kafka broker under the sandbox");
    process.kill(broker, "SIGKILL");
    await expect.poll(async () => (await client.get(sandboxId)).services.kafka?.state, { timeout: 15_000 }).toMatch(/failed|stopped/);
    const { grade } = await client.check(sandboxId);
    expect(grade.steps[0]?.checks[0]?.feedback).toMatch(/Kafka|reach|broker/i);
    await client.start({ ...me, labSlug: kafkaLab.slug });
    await untilRunning(sandboxId);
    expect((await client.get(sandboxId)).services.kafka).toEqual({ state: "ready" });
  });

  it("survives a lab-runner restart: the live sandbox is adopted, an orphan is destroyed", async () => {
    await server.close();
    // A sandbox the driver runs but Postgres no longer wants (its row ended while lab-runner was down).
    await sandboxes.driver.provision({ sandboxId: "sb-orphan", services: ["kafka"], seed: "o" });
    server = await start();
    client = createLabRunnerClient({ baseUrl: server.url, secret });
    await untilRunning(sandboxId);
    expect((await sandboxes.driver.list()).map((s) => s.sandboxId)).toEqual([sandboxId]);
    expect(processesUnder(`${sandboxes.baseDir}/sb-orphan`)).toEqual([]);
  });

  it("expires: the reaper removes it, and a check then says why", async () => {
    const reaped = await server.manager.reap(new Date(Date.now() + policy.ttlMs + 1000));
    expect(reaped).toBe(1);
    const view = await client.get(sandboxId);
    expect(view).toMatchObject({ state: "ended", endedReason: "expired", services: { kafka: { state: "stopped" } } });
    await expect(client.check(sandboxId)).rejects.toMatchObject({
      code: "SANDBOX_NOT_RUNNING",
      message: expect.stringMatching(/time limit.*Start the lab again/),
    });
    expect(await sandboxes.driver.list()).toEqual([]);
    expect(processesUnder(`${sandboxes.baseDir}/${sandboxId}`)).toEqual([]);
    // The limit counts live sandboxes only: the learner can start again.
    const next = await client.start({ ...me, labSlug: kafkaLab.slug });
    expect(next.created).toBe(true);
    await client.stop(next.sandbox.id);
    await server.manager.settled();
    // The learner-facing wording is the lab vocabulary's, the same the web app shows.
    expect(await client.stop(next.sandbox.id)).toMatchObject({ state: "ended", endedReason: "stopped", failure: "This lab was stopped." });
    expect(await sandboxes.driver.list()).toEqual([]);
    // An id that cannot name a sandbox is an unknown sandbox on every route of the table.
    await expect(client.get("Not-A-Label")).rejects.toMatchObject({ code: "SANDBOX_NOT_FOUND", status: 404 });
    await expect(client.check("x".repeat(41))).rejects.toMatchObject({ code: "SANDBOX_NOT_FOUND", status: 404 });
  });

  it("reports a service that fails to start, and leaves nothing running", async () => {
    const impatient = testDriver("impatient", { readyTimeoutMs: 1 });
    const failing = await start({ driver: impatient.driver, driverName: `impatient-${process.pid}` });
    try {
      const failingClient = createLabRunnerClient({ baseUrl: failing.url, secret });
      const someone = await learner();
      const { sandbox } = await failingClient.start({ ...someone, labSlug: kafkaLab.slug });
      await failing.manager.settled();
      const view = await failingClient.get(sandbox.id);
      expect(view).toMatchObject({ state: "failed", endedReason: "failed", failure: expect.stringMatching(/^Kafka failed to start: /) });
      expect(await impatient.driver.list()).toEqual([]);
      expect(processesUnder(`${impatient.baseDir}/${sandbox.id}`)).toEqual([]);
    } finally {
      await failing.close();
      await impatient.destroyAll();
    }
  });
});

function terminalSession(url: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let output = "";
    ws.on("open", () => {
      for (const line of lines) ws.send(JSON.stringify({ type: "input", data: `${line}\r` }));
    });
    ws.on("message", (data) => (output += data.toString()));
    ws.on("close", (code) => (code === 1000 ? resolve(output) : reject(new Error(`closed ${code}: ${output}`))));
    ws.on("error", reject);
    setTimeout(() => reject(new Error(`terminal timed out: ${output}`)), 60_000).unref();
  });
}

function closeCode(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on("close", (code) => resolve(code));
    ws.on("error", reject);
  });
}
