import { expect, type Page } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const webDir = path.join(repoRoot, "apps/web");

export const demo = {
  password: "cookbook-demo-2019",
  owner: "owner@demo.test",
  instructor: "instructor@demo.test",
  learner: "learner@demo.test",
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Platform {
  url: string;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
  output: () => string;
  /** Pid of a process the launcher started (its direct child) whose command line contains `marker`. */
  childPid: (marker: string) => number | undefined;
  /** Moves the running web server's clock to `ms` milliseconds after real time (0: real time again). */
  setClockOffset: (ms: number) => void;
}

/**
 * The platform exactly as the Quick start runs it (the launcher script), with its own data
 * directory and ports, bound to 127.0.0.1. `restart` stops every process and starts again on
 * the same data: what survives is what PostgreSQL kept.
 */
export async function startPlatform(name: string): Promise<Platform> {
  const dataDir = path.join(repoRoot, ".cache", `pg-e2e-${name}`);
  const sandboxDir = path.join(repoRoot, ".cache", `sandboxes-e2e-${name}`);
  // The web server's clock reads its offset from this file (apps/web/src/server/clock.ts).
  const clockFile = path.join(repoRoot, ".cache", `clock-e2e-${name}`);
  killSandboxProcesses(sandboxDir);
  for (const dir of [dataDir, sandboxDir, clockFile]) rmSync(dir, { recursive: true, force: true });
  const env = {
    ...process.env,
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    DATABASE_URL: "",
    LAB_RUNNER_PORT: String(await freePort()),
    LAB_SANDBOX_DIR: sandboxDir,
    COOKBOOK_CLOCK_OFFSET_FILE: clockFile,
  };
  let child: ChildProcess | null = null;
  let log = "";

  async function start() {
    child = spawn(process.execPath, ["--import", "tsx", "scripts/start-platform.ts"], { cwd: webDir, env, stdio: ["ignore", "pipe", "pipe"] });
    const proc = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`platform did not start in time:\n${log}`)), 200_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("[platform] ready in")) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on("data", onData);
      proc.stderr?.on("data", onData);
      proc.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`platform exited with ${code}:\n${log}`));
      });
    });
  }

  async function stop() {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    await exited;
    child = null;
  }

  await start();
  return {
    url: `http://127.0.0.1:${env.PORT}`,
    stop: async () => {
      await stop();
      // lab-runner keeps sandboxes across restarts by design; a finished test run must not.
      killSandboxProcesses(sandboxDir);
      removeSandboxNetworks(sandboxDir);
      for (const dir of [dataDir, sandboxDir, clockFile]) rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      log = "";
      await start();
    },
    output: () => log,
    setClockOffset: (ms) => writeFileSync(clockFile, String(Math.round(ms))),
    childPid: (marker) => {
      const launcher = child?.pid;
      if (launcher === undefined) return undefined;
      for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
        try {
          const parent = Number(
            readFileSync(`/proc/${entry}/stat`, "utf8")
              .replace(/^.*\) /, "")
              .split(" ")[1],
          );
          if (parent === launcher && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) return Number(entry);
        } catch {
          // Gone meanwhile.
        }
      }
      return undefined;
    },
  };
}

/** Deletes the network namespaces lab-runner's local driver made for this sandbox directory (named cbl-<hash of the dir>-<id>). */
function removeSandboxNetworks(sandboxDir: string) {
  if (!existsSync("/run/netns")) return;
  const prefix = `cbl-${createHash("sha256").update(path.resolve(sandboxDir)).digest("hex").slice(0, 8)}-`;
  for (const netns of readdirSync("/run/netns").filter((name) => name.startsWith(prefix))) {
    spawnSync("ip", ["netns", "delete", netns], { stdio: "ignore" });
  }
}

/** Kills whatever still runs from a sandbox directory (brokers, NameNodes, shells) by its command line. */
function killSandboxProcesses(sandboxDir: string) {
  if (!existsSync(sandboxDir)) return;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmdline.includes(sandboxDir)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}

/** Signs in through the form and waits until the session cookie has taken the user home. */
export async function signIn(page: Page, platform: Platform, email: string, password = demo.password) {
  await page.goto(`${platform.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/home$/);
}

/** Opens a chapter of the course outline (it may already be open when it is in progress). */
export async function openChapter(page: Page, title: string) {
  const chapter = page.locator("details", { hasText: title });
  if ((await chapter.getAttribute("open")) === null) await chapter.locator("summary").click();
  return chapter;
}
