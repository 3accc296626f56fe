import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessExit } from "./process-tree";
import type { SandboxContext, ServiceLauncher, StartedServer } from "./service-launcher";

export type ReadinessOutcome = { ready: true } | { ready: false; reason: string };

/**
 * Polls the service's probe until it answers, one of its servers exits (no point waiting for a
 * dead JVM), or the deadline passes.
 */
export async function waitUntilReady(
  launcher: ServiceLauncher,
  ctx: SandboxContext,
  servers: readonly StartedServer[],
  timeoutMs: number,
): Promise<ReadinessOutcome> {
  let exited: { role: string; exit: ProcessExit } | undefined;
  for (const server of servers) void server.exited.then((exit) => (exited ??= { role: server.role, exit }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return { ready: false, reason: `${exited.role} exited (${describeExit(exited.exit)}) before it was ready` };
    if (await launcher.probe(ctx)) return { ready: true };
    await sleep(500);
  }
  return { ready: false, reason: `not ready after ${Math.round(timeoutMs / 1000)} s` };
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? "unknown"}`;
}
