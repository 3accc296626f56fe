import { PassThrough, Readable, Writable } from "node:stream";
import { Exec, type KubeConfig, type V1Status } from "@kubernetes/client-node";
import type { ExecOptions, ExecResult, ShellOptions, ShellSession } from "../sandbox-driver";

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** The command's exit code from the API server's closing Status; throws when it is not about an exit. */
function exitCodeOf(status: V1Status): number {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  if (cause?.message !== undefined) return Number(cause.message);
  throw new Error(`exec failed: ${status.message ?? status.reason ?? "unknown error"}`);
}

class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** client-node rejects a refused WebSocket upgrade with the ws ErrorEvent, not an Error. */
function connectError(error: unknown): Error {
  if (error instanceof Error) return error;
  const event = error as { message?: unknown; error?: unknown };
  if (event.error instanceof Error) return event.error;
  return new Error(`exec failed: ${typeof event.message === "string" ? event.message : JSON.stringify(error)}`);
}

/** Exit status of coreutils' `timeout` when it had to stop the command. */
const timedOutExit = 124;

/**
 * Runs argv in the pod through the exec subresource. The deadline is enforced inside the pod by
 * `timeout`: closing our socket would leave the command running in the container. Extra env goes
 * through `env`, since the exec API has no environment of its own (the pod's env is inherited).
 */
export async function execInPod(kubeConfig: KubeConfig, target: ExecTarget, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
  const command = ["timeout", "-k", "5", String(Math.max(1, Math.ceil(timeoutMs / 1000))), ...(env.length > 0 ? ["env", ...env] : []), ...argv];
  const stdout = new Collector();
  const stderr = new Collector();
  const stdin = options.stdin === undefined ? null : Readable.from([Buffer.from(options.stdin)]);
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { exitCode: number | null; timedOut: boolean } | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      if (outcome instanceof Error) reject(outcome);
      else resolve({ ...outcome, stdout: stdout.text(), stderr: stderr.text() });
    };
    // Should the pod's `timeout` itself never answer (node gone), stop waiting a little later.
    const backstop = setTimeout(() => {
      settle({ exitCode: null, timedOut: true });
      socket?.close();
    }, timeoutMs + 15_000);
    let socket: { close(): void } | undefined;
    new Exec(kubeConfig)
      .exec(target.namespace, target.pod, target.container, command, stdout, stderr, stdin, false, (status) => {
        try {
          const exitCode = exitCodeOf(status);
          settle(exitCode === timedOutExit ? { exitCode: null, timedOut: true } : { exitCode, timedOut: false });
        } catch (error) {
          settle(error as Error);
        }
      })
      .then((ws) => {
        socket = ws;
        ws.on("close", () => settle(new Error("exec connection closed before the command's exit status arrived")));
      })
      .catch((error: unknown) => settle(connectError(error)));
  });
}

/** A login shell on a pseudo-terminal in the pod; resize goes through the exec resize channel. */
export async function openPodShell(kubeConfig: KubeConfig, target: ExecTarget, options: ShellOptions): Promise<ShellSession> {
  const input = new PassThrough();
  // client-node reads `columns`/`rows` and listens for "resize" on the output stream (like a TTY).
  const output = Object.assign(new PassThrough(), { columns: options.cols, rows: options.rows });
  output.setEncoding("utf8");
  const exitListeners: Array<(code: number | null) => void> = [];
  let exited = false;
  const exit = (code: number | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  const shell = ["/bin/sh", "-c", "if command -v bash >/dev/null; then exec bash -l; else exec sh -l; fi"];
  const ws = await new Exec(kubeConfig)
    .exec(target.namespace, target.pod, target.container, shell, output, null, input, true, (status) => {
      try {
        exit(exitCodeOf(status));
      } catch {
        exit(null);
      }
    })
    .catch((error: unknown) => {
      throw connectError(error);
    });
  ws.on("close", () => exit(null));
  return {
    write: (data) => void input.write(data),
    resize(cols, rows) {
      output.columns = cols;
      output.rows = rows;
      output.emit("resize");
    },
    onData: (listener) => void output.on("data", (chunk: string) => listener(chunk)),
    onExit: (listener) => void exitListeners.push(listener),
    // Closing the stream hangs up the pty: the shell gets SIGHUP and passes it on to its jobs.
    kill: () => ws.close(),
  };
}
