import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@cookbook/db/testing/free-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * The real launcher (`--dev`, so no production build), with its own database directory and ports:
 * its children are killed with SIGKILL as an operator's mistake or the OOM killer would.
 */

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cacheDir = path.resolve(webDir, "../../.cache");
const name = `launcher-test-${process.pid}`;
const dataDir = path.join(cacheDir, `pg-${name}`);
const sandboxDir = path.join(cacheDir, `sandboxes-${name}`);

/** The pid of the launcher's child whose command line contains `marker`. */
function childOf(parent: number, marker: string): number | undefined {
  for (const entry of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const ppid = Number(
        readFileSync(`/proc/${entry}/stat`, "utf8")
          .replace(/^.*\) /, "")
          .split(" ")[1],
      );
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (r) => r.status,
    () => 0,
  );

const secret = `launcher-test-secret-${"0123456789".repeat(4)}`;
let launcher: ChildProcess;
let output = "";
let webUrl = "";
let runnerUrl = "";

async function waitFor(text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in the launcher's output:\n${output}`);
    if (launcher.exitCode !== null) throw new Error(`the launcher exited (${launcher.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const [port, pgPort, runnerPort] = await Promise.all([freePort(), freePort(), freePort()]);
  webUrl = `http://127.0.0.1:${port}`;
  runnerUrl = `http://127.0.0.1:${runnerPort}`;
  launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start-platform.ts", "--dev"], {
    cwd: webDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      DATABASE_URL: "",
      LAB_RUNNER_PORT: String(runnerPort),
      LAB_SANDBOX_DIR: sandboxDir,
      SEED_DEMO: "false",
      LAB_RUNNER_SECRET: secret,
    },
  });
  for (const stream of [launcher.stdout, launcher.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor("[platform] ready in", 240_000);
  // The dev server compiles a route on its first request: do that before anything is killed.
  expect(await fetch(`${webUrl}/api/health`, { signal: AbortSignal.timeout(120_000) }).then((r) => r.status)).toBe(200);
}, 300_000);

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((resolve) => launcher.once("exit", resolve));
    launcher.kill("SIGTERM");
    await exited;
  }
  for (const dir of [dataDir, `${dataDir}.secrets.json`, sandboxDir]) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Kills the child, then polls both services until the killed one answers again; returns what the other answered meanwhile. */
async function killAndWait(marker: string, killedUrl: string, otherUrl: string) {
  const pid = childOf(launcher.pid ?? -1, marker);
  expect(pid, output).toBeDefined();
  process.kill(pid ?? -1, "SIGKILL");
  const other: number[] = [];
  const started = Date.now();
  // Until the old process is gone its port may still answer: wait for a new pid first.
  while (Date.now() - started < 90_000) {
    if (launcher.exitCode !== null) throw new Error(`the launcher stopped (${launcher.exitCode}):\n${output}`);
    other.push(await status(otherUrl));
    const now = childOf(launcher.pid ?? -1, marker);
    if (now !== undefined && now !== pid && (await status(killedUrl)) === 200) return { other, seconds: (Date.now() - started) / 1000, pid: now };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${marker} did not come back:\n${output}`);
}

describe("the launcher's services under Next and tsx", () => {
  it("serve /metrics to the internal secret only", async () => {
    await fetch(`${webUrl}/api/trpc/auth.me`, { headers: { "x-request-id": "launcher-scrape-1" } });
    const scrape = (url: string, authorization: string) =>
      fetch(`${url}/metrics`, { headers: { authorization }, signal: AbortSignal.timeout(120_000) }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }));
    expect((await scrape(webUrl, "")).status).toBe(401);
    expect((await scrape(runnerUrl, "")).status).toBe(401);
    const web = await scrape(webUrl, `Bearer ${secret}`);
    expect(web.status).toBe(200);
    expect(web.text).toContain('web_trpc_procedure_duration_seconds_count{procedure="auth.me",type="query",code="OK"}');
    const runner = await scrape(runnerUrl, `Bearer ${secret}`);
    expect(runner.status).toBe(200);
    expect(runner.text).toContain('lab_runner_sandboxes{state="running"} 0');
    expect(output).toContain('"requestId":"launcher-scrape-1"');
  }, 180_000);
});

describe("the launcher supervises its children", () => {
  it("restarts lab-runner after kill -9 while the web app keeps serving", async () => {
    const { other, seconds, pid } = await killAndWait("src/service/main.ts", `${runnerUrl}/health`, `${webUrl}/api/health`);
    console.log(`lab-runner answered again ${seconds.toFixed(1)} s after kill -9`);
    expect(new Set(other)).toEqual(new Set([200]));
    expect(output).toContain("[platform] lab-runner exited unexpectedly (signal SIGKILL); restarting it in 1 s");
    await waitFor(`[platform] lab-runner restarted (pid ${pid})`, 10_000);
  }, 120_000);

  it("restarts the web app after kill -9 while lab-runner keeps serving", async () => {
    const { other, seconds } = await killAndWait("scripts/web-server.ts", `${webUrl}/api/health`, `${runnerUrl}/health`);
    console.log(`web app answered again ${seconds.toFixed(1)} s after kill -9`);
    expect(new Set(other)).toEqual(new Set([200]));
    expect(output).toContain("[platform] web app exited unexpectedly (signal SIGKILL); restarting it in 1 s");
    expect(launcher.exitCode).toBeNull();
  }, 120_000);
});
