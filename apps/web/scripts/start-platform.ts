/**
 * Starts the whole platform on one machine: PostgreSQL (embedded unless DATABASE_URL is set),
 * migrations, the cookbook course, the demo organisation, lab-runner (local sandbox driver),
 * then the Next.js server.
 * Usage: tsx scripts/start-platform.ts [--dev]
 */
import { publishCookbook } from "@cookbook/db/cookbook-catalogue";
import { openDatabase } from "@cookbook/db/database";
import { EmbeddedPostgresError } from "@cookbook/db/embedded";
import { createEnv } from "@t3-oss/env-core";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { exitOf, Supervisor, type SupervisedChild } from "../src/launcher/supervisor";
import { seedDemo } from "./seed-demo";

const started = performance.now();
const dev = process.argv.includes("--dev");
const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "../..");

const launchEnv = createEnv({
  server: {
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("127.0.0.1"),
    DEMO_PASSWORD: z.string().min(10).default("cookbook-demo-2019"),
    SEED_DEMO: z.enum(["true", "false"]).default("true"),
    LAB_RUNNER_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
    /** Shared by the web app and lab-runner; a fresh one per start unless set. */
    LAB_RUNNER_SECRET: z.string().min(32).optional(),
    /** Where browsers reach lab-runner's terminal; default: HOST and LAB_RUNNER_PORT. */
    LAB_RUNNER_PUBLIC_URL: z.url().optional(),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
});

const log = (line: string) => console.log(`[platform] ${line}`);

const database = await openDatabase((line) => {
  if (line.includes("cannot reach")) log(line);
}).catch((error: unknown) => {
  // A taken port or an unreachable data directory: the message says what to change; a stack trace would not.
  if (!(error instanceof EmbeddedPostgresError)) throw error;
  console.error(`[platform] ${error.message}`);
  process.exit(1);
});
log(`database ready (${database.description}), migrations applied`);
// Each child connects as its own role: the web app gets DATABASE_URL = its URL, lab-runner its own, neither the owner's.
process.env.DATABASE_URL = database.urls.web;
delete process.env.DATABASE_URL_WEB;
delete process.env.DATABASE_URL_LAB_RUNNER;
const labRunnerSecret = launchEnv.LAB_RUNNER_SECRET ?? randomBytes(32).toString("hex");
process.env.LAB_RUNNER_SECRET = labRunnerSecret;
// Validate the web server's configuration now, with the database URL and secret known, rather than on first request.
await import("../src/env");

const published = await publishCookbook(database.db);
for (const p of published) log(`course edition ${p.edition}: version ${p.sequence}, ${p.lessons} lessons${p.created ? " (published now)" : ""}`);
const courseId = published[0]?.courseId;
if (!courseId) throw new Error("no cookbook edition was published");

const demo = launchEnv.SEED_DEMO === "true" ? await seedDemo(database.db, { courseId, password: launchEnv.DEMO_PASSWORD }) : null;

const labRunnerUrl = `http://${loopbackOr(launchEnv.HOST)}:${launchEnv.LAB_RUNNER_PORT}`;
await portIsFree(launchEnv.HOST, launchEnv.LAB_RUNNER_PORT, "LAB_RUNNER_PORT");
const labRunnerChild: SupervisedChild = { name: "lab-runner", spawn: spawnLabRunner, ready: labRunnerReady };
const labRunner = labRunnerChild.spawn();
await labRunnerChild.ready(labRunner).catch(async (error: unknown) => {
  console.error(`[platform] lab-runner did not start: ${error instanceof Error ? error.message : String(error)}`);
  labRunner.kill("SIGTERM");
  await exitOf(labRunner);
  await database.close();
  process.exit(1);
});
log(`lab-runner ready at ${labRunnerUrl} (local sandbox driver)`);

// Next would otherwise try to send usage telemetry to a host this platform never needs to reach.
const nextEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  LAB_RUNNER_URL: labRunnerUrl,
  LAB_RUNNER_PUBLIC_URL: launchEnv.LAB_RUNNER_PUBLIC_URL ?? labRunnerUrl,
  LAB_RUNNER_SECRET: labRunnerSecret,
};
const nextBin = createRequire(path.join(webDir, "package.json")).resolve("next/dist/bin/next");
if (!dev && buildIsStale()) {
  log("building the web app (first start or sources changed)...");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: webDir, stdio: "inherit", env: nextEnv });
  if (build.status !== 0) {
    labRunner.kill("SIGTERM");
    await database.close();
    process.exit(build.status ?? 1);
  }
}

// A crashed web app or lab-runner is restarted with backoff while the other keeps serving; only
// repeated crashes stop the platform (policy: src/launcher/restart-policy.ts).
const supervisor = new Supervisor({
  log,
  onGiveUp: (message) => {
    console.error(`[platform] ${message}`);
    void stop(1);
  },
});
supervisor.adopt(labRunnerChild, labRunner);

function spawnWeb(): ChildProcess {
  // Our server in front of Next's handler, not `next start`: it replaces forwarded headers a client sent (scripts/web-server.ts).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts", ...(dev ? ["--dev"] : [])], {
    cwd: webDir,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...nextEnv, PORT: String(launchEnv.PORT), HOST: launchEnv.HOST },
  });
  child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(chunk));
  return child;
}

/** The web server says "Ready" on stdout once it serves. */
function webReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no "Ready" within 120 s')), 120_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("Ready")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(signal ? `signal ${signal}` : `exit code ${code}`));
    });
  });
}

const webChild: SupervisedChild = { name: "web app", spawn: spawnWeb, ready: webReady };
const server = webChild.spawn();
void webChild.ready(server).then(
  () => {
    supervisor.adopt(webChild, server);
    announce();
  },
  (error: unknown) => {
    if (stopping) return;
    console.error(`[platform] the web app did not start (${error instanceof Error ? error.message : String(error)}); stopping the platform`);
    void stop(server.exitCode || 1);
  },
);

let announced = false;
function announce() {
  if (announced) return;
  announced = true;
  const url = `http://${loopbackOr(launchEnv.HOST)}:${launchEnv.PORT}`;
  // One write, "ready" last: whoever waits for "ready" (the e2e harness, a person) has the logins too.
  const lines = demo
    ? [
        `demo organisation "${demo.tenant.name}" — sign in at ${url}/sign-in with:`,
        ...demo.logins.map((l) => `  ${l.role.padEnd(10)} ${l.email.padEnd(22)} ${l.password}`),
      ]
    : [];
  lines.push(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${url}`);
  process.stdout.write(lines.map((l) => `[platform] ${l}\n`).join(""));
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  // lab-runner leaves sandboxes running: the next start adopts them, the reaper ends them.
  await supervisor.stop();
  // The web server may not have been handed to the supervisor yet (still starting).
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
  await exitOf(server);
  await database.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

function loopbackOr(host: string): string {
  return host === "0.0.0.0" ? "127.0.0.1" : host;
}

/** Exits with a message naming `variable` when something already listens on `port` (no stack trace). */
async function portIsFree(host: string, port: number, variable: string): Promise<void> {
  const taken = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
  if (!taken) return;
  console.error(`[platform] ${variable}=${port} is taken on ${host}: set ${variable} to a free port, or stop what listens there.`);
  await database.close();
  process.exit(1);
}

/**
 * lab-runner as its own process (as in a deployment). Node runs it with tsx's loader rather than
 * tsx's CLI, which would put a second process in between: killing that one would leave the real
 * lab-runner holding its port, and no restart could listen.
 */
function spawnLabRunner(): ChildProcess {
  const labRunnerDir = path.join(repoRoot, "apps/lab-runner");
  return spawn(process.execPath, ["--import", "tsx", "src/service/main.ts"], {
    cwd: labRunnerDir,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: database.urls.labRunner,
      LAB_RUNNER_SECRET: labRunnerSecret,
      LAB_RUNNER_HOST: launchEnv.HOST,
      LAB_RUNNER_PORT: String(launchEnv.LAB_RUNNER_PORT),
    },
  });
}

/** Resolves when lab-runner answers its /health. */
async function labRunnerReady(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`it exited (${child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`})`);
    const healthy = await fetch(`${labRunnerUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from ${labRunnerUrl}/health within 60 s`);
}

/** A production build is stale when any source it was built from is newer than it. */
function buildIsStale(): boolean {
  const stamp = path.join(webDir, ".next", "BUILD_ID");
  if (!existsSync(stamp)) return true;
  const builtAt = statSync(stamp).mtimeMs;
  const roots = [
    path.join(webDir, "src"),
    path.join(webDir, "next.config.ts"),
    ...["db", "content", "lab-runner-api"].map((p) => path.join(repoRoot, "packages", p, "src")),
  ];
  return roots.some((root) => newerThan(root, builtAt));
}

function newerThan(file: string, time: number): boolean {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs > time;
  return readdirSync(file).some((name) => newerThan(path.join(file, name), time));
}
