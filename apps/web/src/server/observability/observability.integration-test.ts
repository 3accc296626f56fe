import { randomUUID } from "node:crypto";
import { createUser } from "@cookbook/db/queries/users";
import { testDatabase, testDatabaseUrl } from "@cookbook/db/testing/factories";
import { createLogger } from "@cookbook/lab-runner-api/logging";
import { startLabRunnerServer } from "@cookbook/lab-runner/server";
import { testDriver } from "@cookbook/lab-runner/testing";
import { afterAll, describe, expect, it } from "vitest";
import { loadApi, testLabRunnerSecret } from "../testing/api-client";
import { testPolicy } from "../testing/lab-runner";

/*
 * Real HTTP requests through the tRPC route handler and the /metrics route (everything but Next's
 * socket), against real PostgreSQL and a real lab-runner, with both services' log output captured.
 */

// lab-runner's lines, every level: the leak check below reads everything it could write.
const runnerLines: string[] = [];
const labDb = testDatabase();
const sandboxes = testDriver("web-observability");
const runner = await startLabRunnerServer({
  db: labDb.db,
  driver: sandboxes.driver,
  driverName: `local-web-obs-${process.pid}`,
  secret: testLabRunnerSecret,
  policy: testPolicy,
  logger: createLogger({ level: "trace", destination: { write: (line: string) => void runnerLines.push(line) } }),
});
process.env.LOG_LEVEL = "trace";
const { db, pool } = await loadApi({ url: runner.url, secret: testLabRunnerSecret });
const trpcRoute = await import("~/app/api/trpc/[trpc]/route");
const metricsRoute = await import("~/app/metrics/route");
const { observeRoute } = await import("./request-scope");
const { labRunner } = await import("~/server/labs/lab-runner");
const { hashPassword } = await import("~/server/auth/password");

// The web logger writes to process.stdout: its lines are kept here instead (and out of the test output).
const webLines: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  if (!text.includes('"service":"web"')) return write(chunk, ...rest);
  webLines.push(text);
  return true;
}) as typeof process.stdout.write;

afterAll(async () => {
  process.stdout.write = write;
  await runner.close();
  await sandboxes.destroyAll();
  await labDb.close();
  await pool.end();
});

const origin = "http://127.0.0.1:3000";
const parsed = (lines: string[]) => lines.flatMap((l) => l.trim().split("\n")).map((l) => JSON.parse(l) as Record<string, unknown>);

function signIn(email: string, password: string, requestId: string) {
  return trpcRoute.POST(
    new Request(`${origin}/api/trpc/auth.signIn`, {
      method: "POST",
      headers: { host: "127.0.0.1:3000", origin, "content-type": "application/json", "x-request-id": requestId, "x-forwarded-for": "203.0.113.20" },
      body: JSON.stringify({ email, password }),
    }),
  );
}

async function scrape(authorization: string) {
  const response = await metricsRoute.GET(new Request(`${origin}/metrics`, { headers: { authorization } }));
  return { status: response.status, text: await response.text() };
}

function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const email = `observed-${randomUUID().slice(0, 8)}@example.test`;
const password = `correct horse ${randomUUID()}`;
await createUser(db, { id: randomUUID(), email, displayName: "Observed", passwordHash: await hashPassword(password) });

describe("web observability", () => {
  it("refuses an unauthenticated scrape", async () => {
    expect((await scrape("")).status).toBe(401);
    expect((await scrape(`Bearer ${"x".repeat(testLabRunnerSecret.length)}`)).status).toBe(401);
    expect((await scrape(`Bearer ${testLabRunnerSecret}`)).status).toBe(200);
  });

  it("logs each API request with its request id and counts procedures and login failures", async () => {
    const before = (await scrape(`Bearer ${testLabRunnerSecret}`)).text;
    const wrong = await signIn(email, "not the password at all", "signin-wrong-1");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("x-request-id")).toBe("signin-wrong-1");
    const right = await signIn(email, password, "signin-right-2");
    expect(right.status).toBe(200);
    const cookie = right.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toMatch(/^cookbook_session=.+/);
    const me = await trpcRoute.GET(new Request(`${origin}/api/trpc/auth.me`, { headers: { host: "127.0.0.1:3000", cookie } }));
    expect(me.status).toBe(200);
    const generated = me.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const lines = parsed(webLines);
    expect(lines.find((l) => l.requestId === "signin-wrong-1" && l.path)).toMatchObject({
      service: "web",
      method: "POST",
      path: "/api/trpc/auth.signIn",
      status: 401,
    });
    expect(lines.find((l) => l.requestId === "signin-wrong-1" && l.procedure)).toMatchObject({ procedure: "auth.signIn", code: "UNAUTHORIZED" });
    expect(lines.find((l) => l.requestId === generated && l.path)).toMatchObject({ path: "/api/trpc/auth.me", status: 200 });

    const after = (await scrape(`Bearer ${testLabRunnerSecret}`)).text;
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('web_trpc_procedure_duration_seconds_count{procedure="auth.signIn",type="mutation",code="UNAUTHORIZED"}')).toBe(1);
    expect(moved('web_trpc_procedure_duration_seconds_count{procedure="auth.signIn",type="mutation",code="OK"}')).toBe(1);
    expect(moved('web_trpc_procedure_duration_seconds_count{procedure="auth.me",type="query",code="OK"}')).toBe(1);
    expect(moved("web_login_failures_total")).toBe(1);
  });

  it("counts refusals while a sign-in is locked", async () => {
    const before = (await scrape(`Bearer ${testLabRunnerSecret}`)).text;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await signIn(email, `wrong password ${i}`, `lock-${i}`)).status);
    expect(statuses).toContain(429);
    const after = (await scrape(`Bearer ${testLabRunnerSecret}`)).text;
    expect(sample(after, "web_login_locks_total") - sample(before, "web_login_locks_total")).toBe(statuses.filter((s) => s === 429).length);
  });

  it("sends its request id with its calls to lab-runner, which logs it", async () => {
    const route = observeRoute(async () => {
      const missing = await labRunner()
        .get("sb-does-not-exist")
        .catch((error: Error) => error.name);
      return Response.json({ missing });
    });
    const response = await route(new Request(`${origin}/anything`, { headers: { "x-request-id": "web-to-runner-3" } }));
    expect(await response.json()).toEqual({ missing: "LabRunnerError" });
    const runnerLine = parsed(runnerLines).find((l) => l.requestId === "web-to-runner-3");
    expect(runnerLine).toMatchObject({ service: "lab-runner", route: "/v1/sandboxes/:id", sandboxId: "sb-does-not-exist", status: 404 });
  });

  it("writes no password, hash, session, secret or database password to either log", () => {
    const output = [...webLines, ...runnerLines].join("");
    expect(output).toContain("auth.signIn");
    expect(output).not.toContain(password);
    expect(output).not.toContain(testLabRunnerSecret);
    expect(output).not.toContain("$argon2");
    expect(output).not.toContain("cookbook_session=");
    const dbPassword = new URL(testDatabaseUrl()).password;
    if (dbPassword) expect(output).not.toContain(dbPassword);
  });
});
