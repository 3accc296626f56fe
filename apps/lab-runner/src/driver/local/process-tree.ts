import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DetachedProcess {
  pid: number;
  exited: Promise<ProcessExit>;
}

/**
 * Starts a long-running server as the leader of its own process group, with stdout and stderr
 * appended to logFile. The group lets destroy kill everything the server forked; detaching lets
 * sandboxes outlive a lab-runner restart (the reconciler finds them again by pid).
 */
export function spawnDetached(
  [command, ...args]: readonly [string, ...string[]],
  options: { cwd: string; env: Record<string, string>; logFile: string },
): DetachedProcess {
  const log = openSync(options.logFile, "a");
  try {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), detached: true, stdio: ["ignore", log, log] });
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(log);
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0) but is not running anything.
  return !readProc(pid, "stat").match(/^\d+ \(.*\) Z/);
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return "";
  }
}

/** Guards against pid reuse: a recorded pid only counts if its command line mentions the sandbox. */
export function processMentions(pid: number, marker: string): boolean {
  return (
    isProcessAlive(pid) &&
    readProc(pid, "cmdline")
      .split("\0")
      .some((arg) => arg.includes(marker))
  );
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after the grace period. */
export async function killProcessGroup(pgid: number, graceMs = 5000): Promise<void> {
  if (!isGroupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return;
    await sleep(100);
  }
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    return;
  }
  while (isGroupAlive(pgid)) await sleep(50);
}

/**
 * Every process whose working directory or command line is inside dir: the safety net that
 * catches what escaped its process group (a learner's setsid, a daemonising tool) and
 * servers of a sandbox whose state file was lost.
 */
export function processesUnder(dir: string): number[] {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const inside = (p: string) => p === dir || p.startsWith(prefix);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // Gone already, or not ours to inspect.
    }
    if (
      inside(cwd) ||
      readProc(pid, "cmdline")
        .split("\0")
        .some((arg) => arg.includes(prefix))
    )
      pids.push(pid);
  }
  return pids;
}

/** The fields of /proc/<pid>/stat after "pid (comm)": comm may contain spaces and parentheses, hence the cut at the last ")". */
function statFields(pid: number): string[] {
  return readProc(pid, "stat")
    .replace(/^.*\) /, "")
    .split(" ");
}

/** /proc counts CPU time in USER_HZ ticks, which the kernel's ABI fixes at 100 a second. */
const ticksPerSecond = 100;

/**
 * CPU seconds the process has used, with those of its children that ended and were waited for
 * (utime, stime, cutime, cstime): summed over a set of processes, a program that ran and exited
 * still counts, through its parent.
 */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  // After "pid (comm)", utime is the 12th field and cstime the 15th.
  return fields.slice(11, 15).reduce((sum, ticks) => sum + (Number(ticks) || 0), 0) / ticksPerSecond;
}

/** Whether the process is a running Spark application: spark-submit's JVM (a local-mode job, a pyspark session). */
export function isSparkApplication(pid: number): boolean {
  return readProc(pid, "cmdline").split("\0").includes("org.apache.spark.deploy.SparkSubmit");
}

export function processGroupOf(pid: number): number {
  // After "pid (comm)": state ppid pgrp ...
  return Number(statFields(pid)[2] ?? 0);
}

/** Kills the groups of the given processes (never lab-runner's own group), then any single survivor. */
export async function killProcesses(pids: readonly number[]): Promise<void> {
  const ownGroup = processGroupOf(process.pid);
  const groups = new Set(pids.map(processGroupOf).filter((pgid) => pgid > 1 && pgid !== ownGroup));
  await Promise.all([...groups].map((pgid) => killProcessGroup(pgid, 2000)));
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone with its group.
    }
  }
}

/** Resident set size in bytes, from /proc (0 for a process that is gone). */
export function residentBytes(pid: number): number {
  const match = readProc(pid, "status").match(/^VmRSS:\s+(\d+) kB/m);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

export interface ProcessMemory {
  pid: number;
  ppid: number;
  cmdline: string;
  rssBytes: number;
}

/** A child within this of its parent's size, with its parent's command line, is a copy of it. */
const copySlackBytes = 1024 * 1024;

/**
 * The processes' resident memory, each copy of a process counted once. A child that a JVM or
 * Python has just spawned and that has not exec'd yet still has its parent's command line and
 * shows its parent's VmRSS, though it owns none of those pages (after posix_spawn's clone it is
 * the same address space). Counted, a Spark driver that shells out (Hadoop's local file system
 * runs chmod and stat for the files of a streaming query's checkpoint) weighs twice as much for
 * the milliseconds until the exec, which a sampler catches.
 */
export function distinctResidentBytes(processes: readonly ProcessMemory[]): number {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  return processes.reduce((sum, p) => {
    const parent = byPid.get(p.ppid);
    const copy = parent !== undefined && p.cmdline !== "" && parent.cmdline === p.cmdline && Math.abs(parent.rssBytes - p.rssBytes) <= copySlackBytes;
    return copy ? sum : sum + p.rssBytes;
  }, 0);
}

/** The resident memory of these processes as distinctResidentBytes counts it, read from /proc. */
export function residentBytesOf(pids: readonly number[]): number {
  return distinctResidentBytes(
    pids.map((pid) => ({
      pid,
      ppid: Number(statFields(pid)[1] ?? 0),
      cmdline: readProc(pid, "cmdline"),
      rssBytes: residentBytes(pid),
    })),
  );
}

/**
 * A child's complete environment, typed for spawn. Next's global types make NODE_ENV required in
 * ProcessEnv when the web app type-checks this module; a sandbox process needs no NODE_ENV.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return env as NodeJS.ProcessEnv;
}
