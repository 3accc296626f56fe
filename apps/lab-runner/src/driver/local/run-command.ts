import { spawn } from "node:child_process";
import type { ExecResult } from "../sandbox-driver";
import { childEnv, killProcessGroup } from "./process-tree";

/** Enough for CLI output a grader reads; protects lab-runner from a runaway `cat`. */
const maxOutputBytes = 4 * 1024 * 1024;

/**
 * Runs argv to completion in its own process group and captures its output. On timeout, and
 * after a normal exit, the whole group is killed, so nothing a command started in the
 * background outlives the call.
 */
export function runCommand(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number; stdin?: string },
): Promise<ExecResult> {
  const [command, ...args] = argv;
  if (command === undefined) return Promise.reject(new Error("exec needs a command"));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const stdout = capture(child.stdout);
    const stderr = capture(child.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) void killProcessGroup(child.pid, 2000);
    }, options.timeoutMs);
    child.stdin.on("error", () => {
      // The command may exit without reading its input; that is its right.
    });
    child.stdin.end(options.stdin ?? "");
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", () => {
      clearTimeout(timer);
      // Background children keep the pipes open; end them so "close" can fire.
      if (child.pid !== undefined) void killProcessGroup(child.pid, 1000);
    });
    child.once("close", (code) => {
      resolve({ exitCode: timedOut ? null : code, stdout: stdout(), stderr: stderr(), timedOut });
    });
  });
}

function capture(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    if (size >= maxOutputBytes) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString("utf8").slice(0, maxOutputBytes);
}
