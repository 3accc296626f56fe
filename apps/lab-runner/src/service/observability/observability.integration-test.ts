import { labs, type Lab } from "@cookbook/content/labs";
import { makeTenant, makeUser, testDatabase, testDatabaseUrl } from "@cookbook/db/testing/factories";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLabRunnerClient } from "@cookbook/lab-runner-api/client";
import { installLabSoftware, sweepKilledRuns, testDriver } from "../../testing/test-sandboxes";
import type { SandboxPolicy } from "../config";
import { startLabRunnerServer, type LabRunnerServer } from "../server";
import { createLogger } from "@cookbook/lab-runner-api/logging";

const { db, close } = testDatabase();
const secret = "observability-secret-0123456789abcdefghij";
const policy: SandboxPolicy = { ttlMs: 2 * 3_600_000, idleMs: 30 * 60_000, perLearner: 1, perTenant: 10 };
const kafkaLab = labs.find((lab) => lab.services.length === 1 && lab.services[0] === "kafka") as Lab;
const sandboxes = testDriver("observability");
const lines: string[] = [];
const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
let server: LabRunnerServer;

async function scrape(authorization = `Bearer ${secret}`) {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization } });
  return { status: response.status, text: await response.text() };
}

/** The value of one series in Prometheus' text format (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

beforeAll(async () => {
  installLabSoftware();
  await sweepKilledRuns();
  // Every level, into memory: the secret test below reads everything lab-runner could write.
  const logger = createLogger({ level: "trace", destination: { write: (line: string) => void lines.push(line) } });
  server = await startLabRunnerServer({ db, driver: sandboxes.driver, driverName: `local-obs-${process.pid}`, secret, policy, logger });
}, 1_200_000);

afterAll(async () => {
  await server?.close();
  await sandboxes.destroyAll();
  await close();
});

describe("lab-runner observability", () => {
  it("refuses /metrics without the internal secret", async () => {
    expect((await scrape("")).status).toBe(401);
    expect((await scrape(`Bearer ${"x".repeat(secret.length)}`)).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("# TYPE lab_runner_http_request_duration_seconds histogram");
  });

  it("logs each request with the caller's request id and the sandbox, and counts routes, provisioning, checks and reaping", async () => {
    const user = await makeUser(db, "learner");
    const tenant = await makeTenant(db, user.id);
    let currentRequest = "web-req-start-1";
    const client = createLabRunnerClient({ baseUrl: server.url, secret, requestId: () => currentRequest });
    const before = (await scrape()).text;

    const { sandbox } = await client.start({ tenantId: tenant.id, userId: user.id, labSlug: kafkaLab.slug });
    const startLine = logged().find((l) => l.requestId === "web-req-start-1");
    expect(startLine).toMatchObject({ level: "info", service: "lab-runner", method: "POST", route: "/v1/sandboxes", status: 201 });
    expect(startLine?.durationMs).toEqual(expect.any(Number));

    await server.manager.settled();
    currentRequest = "web-req-check-2";
    const { grade } = await client.check(sandbox.id);
    expect(logged().find((l) => l.requestId === "web-req-check-2")).toMatchObject({
      sandboxId: sandbox.id,
      route: "/v1/sandboxes/:id/check",
      status: 200,
    });
    expect(logged().find((l) => l.msg === "provisioned")).toMatchObject({ sandboxId: sandbox.id, outcome: "running", lab: kafkaLab.slug });
    expect(logged().find((l) => l.msg === "checked")).toMatchObject({ sandboxId: sandbox.id, score: grade.score });
    const running = (await scrape()).text;
    expect(sample(running, 'lab_runner_sandboxes{state="running"}')).toBeGreaterThanOrEqual(1);

    // Past its TTL: the reaper ends it.
    expect(await server.manager.reap(new Date(Date.now() + policy.ttlMs + 60_000))).toBe(1);
    expect(logged().find((l) => l.msg === "reaped")).toMatchObject({ sandboxId: sandbox.id, reason: "expired" });

    const after = (await scrape()).text;
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('lab_runner_http_request_duration_seconds_count{method="POST",route="/v1/sandboxes",status="201"}')).toBe(1);
    expect(moved('lab_runner_http_request_duration_seconds_count{method="POST",route="/v1/sandboxes/:id/check",status="200"}')).toBe(1);
    expect(moved(`lab_runner_sandbox_provision_duration_seconds_count{lab="${kafkaLab.slug}",outcome="running"}`)).toBe(1);
    expect(moved(`lab_runner_sandbox_check_duration_seconds_count{lab="${kafkaLab.slug}",outcome="graded"}`)).toBe(1);
    expect(moved('lab_runner_reaper_actions_total{reason="expired"}')).toBe(1);
    expect(moved('lab_runner_sandboxes{state="ended"}')).toBeGreaterThanOrEqual(1);
    // Route patterns, never raw ids, as label values.
    expect(after).not.toContain(sandbox.id);

    // An unusable id from the caller is replaced, and the response names the one used.
    const response = await fetch(`${server.url}/v1/sandboxes/${sandbox.id}`, {
      headers: { authorization: `Bearer ${secret}`, "x-request-id": 'x","level":"fatal' },
    });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  }, 180_000);

  it("writes no secret, cookie or database password to its log", async () => {
    await fetch(`${server.url}/v1/sandboxes/sb-nope`, { headers: { authorization: `Bearer ${secret}`, cookie: "cookbook_session=abc" } });
    await fetch(`${server.url}/v1/sandboxes`, { method: "POST", headers: { authorization: `Bearer wrong-${secret}` }, body: "{}" });
    const output = lines.join("");
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(secret);
    const password = new URL(testDatabaseUrl()).password;
    if (password) expect(output).not.toContain(password);
    expect(output).not.toContain("$argon2");
  });
});
