import type { ChildProcess } from "node:child_process";
import { decideAfterCrash, defaultRestartPolicy, noCrashes, type CrashHistory, type RestartPolicy } from "./restart-policy";

/** A child process the launcher keeps running. */
export interface SupervisedChild {
  /** As operators call it in log lines: "lab-runner", "web app". */
  name: string;
  spawn: () => ChildProcess;
  /** Resolves when the spawned child serves; rejects when it never will (the restart counts as a crash). */
  ready: (child: ChildProcess) => Promise<void>;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  /** Called once, when a child crashed too often: the launcher stops the platform. */
  onGiveUp: (message: string) => void;
  policy?: RestartPolicy;
  clock?: () => number;
}

interface Watched {
  spec: SupervisedChild;
  child: ChildProcess;
  upSince: number;
  history: CrashHistory;
  timer?: NodeJS.Timeout;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `signal ${signal}` : `exit code ${code}`);

/**
 * Restarts crashed children with backoff (see restart-policy.ts) while the others keep serving,
 * and gives up only on repeated crashes. `stop` ends supervision and every child.
 */
export class Supervisor {
  private readonly watched = new Map<string, Watched>();
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly clock: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = options.policy ?? defaultRestartPolicy;
    this.clock = options.clock ?? Date.now;
  }

  /** Supervises `child`, already spawned from `spec` and ready. */
  adopt(spec: SupervisedChild, child: ChildProcess): void {
    const entry: Watched = { spec, child, upSince: this.clock(), history: noCrashes(this.policy) };
    this.watched.set(spec.name, entry);
    if (isRunning(child)) this.watchExit(entry);
    else this.crashed(entry, `${spec.name} exited unexpectedly (${describeExit(child.exitCode, child.signalCode)})`);
  }

  /** The child currently running under `name`. */
  current(name: string): ChildProcess | undefined {
    return this.watched.get(name)?.child;
  }

  /** Stops restarting, sends SIGTERM to every child and resolves when all have exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    const children = [...this.watched.values()].map((entry) => {
      clearTimeout(entry.timer);
      return entry.child;
    });
    for (const child of children) if (isRunning(child)) child.kill("SIGTERM");
    await Promise.all(children.map(exitOf));
  }

  private watchExit(entry: Watched): void {
    const child = entry.child;
    child.once("exit", (code, signal) => {
      if (this.stopping || entry.child !== child) return;
      this.crashed(entry, `${entry.spec.name} exited unexpectedly (${describeExit(code, signal)})`);
    });
  }

  private crashed(entry: Watched, what: string): void {
    const decision = decideAfterCrash(entry.history, this.clock(), entry.upSince, this.policy);
    entry.history = decision.history;
    const window = `${decision.crashesInWindow} crash(es) within ${Math.round(this.policy.crashWindowMs / 1000)} s`;
    if (decision.action === "give-up") {
      this.options.onGiveUp(`${what}; ${window}, so it is not restarted again: stopping the platform`);
      return;
    }
    this.options.log(`${what}; restarting it in ${decision.delayMs / 1000} s (${window})`);
    entry.timer = setTimeout(() => void this.restart(entry), decision.delayMs);
  }

  private async restart(entry: Watched): Promise<void> {
    if (this.stopping) return;
    const child = entry.spec.spawn();
    entry.child = child;
    // Until it serves, an exit is a failed restart, not a new crash to restart from.
    const exited = new Promise<Error>((resolve) => child.once("exit", (code, signal) => resolve(new Error(describeExit(code, signal)))));
    const outcome = await Promise.race([
      entry.spec.ready(child).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
      exited,
    ]);
    if (this.stopping) return;
    if (outcome) {
      if (isRunning(child)) child.kill("SIGKILL");
      await exitOf(child);
      this.crashed(entry, `${entry.spec.name} did not come back (${outcome.message})`);
      return;
    }
    entry.upSince = this.clock();
    this.options.log(`${entry.spec.name} restarted (pid ${child.pid})`);
    if (isRunning(child)) this.watchExit(entry);
    else this.crashed(entry, `${entry.spec.name} exited unexpectedly (${describeExit(child.exitCode, child.signalCode)})`);
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export function exitOf(child: ChildProcess): Promise<void> {
  return isRunning(child) ? new Promise((resolve) => child.once("exit", () => resolve())) : Promise.resolve();
}
