import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  sameSpec,
  SandboxConflictError,
  SandboxNotFoundError,
  sandboxIdSchema,
  sandboxSpecSchema,
  type ExecOptions,
  type ExecResult,
  type SandboxActivity,
  type SandboxDriver,
  type SandboxSpec,
  type SandboxStatus,
  type ServiceName,
  type ShellOptions,
  type ShellSession,
  type ServiceStatus,
} from "../sandbox-driver";
import { writeCliWrappers } from "./cli-wrappers";
import { confinedArgv, openConfinedShell } from "./confined-shell";
import { execEnv } from "./exec-env";
import { hdfsAuditLogUrl, hdfsLauncher, hdfsUri, webHdfsUrl } from "./hdfs-process";
import { activeConsumerGroups, kafkaBootstrap, kafkaLauncher } from "./kafka-process";
import { labSoftware, type LabSoftware, type LabSoftwareLocation } from "./lab-software";
import { logTail } from "./log-tail";
import { PerKeyLock } from "../per-key-lock";
import {
  cpuSecondsOf,
  isSparkApplication,
  killProcesses,
  killProcessGroup,
  processesUnder,
  processGroupOf,
  processMentions,
  residentBytesOf,
  type ProcessExit,
} from "./process-tree";
import { describeExit, waitUntilReady } from "./readiness";
import { runCommand } from "./run-command";
import { sandboxLayout, type SandboxLayout } from "./sandbox-layout";
import { inSandboxNetwork, SandboxNetworks } from "./sandbox-network";
import { readSandboxState, writeSandboxState, type LocalSandboxRecord } from "./sandbox-state";
import type { SandboxContext, ServiceLauncher } from "./service-launcher";
import { sparkLauncher } from "./spark-process";

function contextOf(state: LocalSandboxRecord, layout: SandboxLayout, software: LabSoftware): SandboxContext {
  const { sandboxId, seed, services } = state.spec;
  return { sandboxId, seed, layout, software, network: state.network, services };
}

const launchers: Record<ServiceName, ServiceLauncher> = { kafka: kafkaLauncher, hdfs: hdfsLauncher, spark: sparkLauncher };

/** What this lab-runner process learnt while provisioning; lost on restart, when probes take over. */
type ProvisionPhase = { state: "starting" } | { state: "ready" } | { state: "failed"; reason: string; logTail?: string };

export interface LocalDriverOptions {
  /** Parent of the sandbox directories (config: LAB_SANDBOX_DIR). */
  baseDir: string;
  /** The installed Kafka, Hadoop and pyspark (config: LAB_CACHE_DIR, LAB_JAVA_HOME). */
  software: LabSoftwareLocation;
  /** How long provision waits for each service; two JVMs starting together on 2 cores need a while. */
  readyTimeoutMs?: number;
  /** Run terminal shells inside bubblewrap (default); off only where bwrap cannot run. */
  confineShell?: boolean;
}

/**
 * Sandboxes as child processes of this machine, each in its own directory and its own network
 * namespace (sandbox-network.ts), where its servers, exec'd commands and terminal run. The
 * directory's sandbox.json is the source of truth, so a restarted lab-runner finds its
 * sandboxes (and their pids) again.
 */
export class LocalSandboxDriver implements SandboxDriver {
  private readonly baseDir: string;
  private readonly software: LabSoftwareLocation;
  private readonly readyTimeoutMs: number;
  private readonly confineShell: boolean;
  private readonly lock = new PerKeyLock();
  private readonly networks: SandboxNetworks;
  /** Sandboxes between their first directory and their first state file: not leftovers. */
  private readonly creating = new Set<string>();
  private readonly phases = new Map<string, Partial<Record<ServiceName, ProvisionPhase>>>();
  /** Exits seen by this process; a server that died without one was stopped by something else. */
  private readonly exits = new Map<number, ProcessExit>();
  /** Servers this process started, until their exit is seen: a dead one among them is a crash whose exit event is still queued. */
  private readonly children = new Map<number, Promise<ProcessExit>>();

  constructor(options: LocalDriverOptions) {
    this.baseDir = path.resolve(options.baseDir);
    this.software = options.software;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
    this.confineShell = options.confineShell ?? true;
    this.networks = new SandboxNetworks(this.baseDir);
  }

  provision(input: SandboxSpec): Promise<SandboxStatus> {
    const spec = sandboxSpecSchema.parse(input);
    return this.lock.run(spec.sandboxId, () => this.provisionLocked(spec));
  }

  async status(sandboxId: string): Promise<SandboxStatus | null> {
    const found = this.load(sandboxId);
    return found ? this.describe(found.ctx, found.state) : null;
  }

  async exec(sandboxId: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const found = this.load(sandboxId);
    if (!found) throw new SandboxNotFoundError(sandboxId);
    const { ctx } = found;
    // Lab-runner's own commands run with its rights; a learner's program gets the terminal's confinement.
    const command = options.asLearner && this.confineShell ? confinedArgv(ctx, argv) : argv;
    return runCommand(inSandboxNetwork(ctx.network, command), {
      cwd: ctx.layout.workspace,
      env: { ...execEnv(ctx), ...options.env },
      timeoutMs: options.timeoutMs ?? 60_000,
      stdin: options.stdin,
    });
  }

  async openShell(sandboxId: string, options: ShellOptions): Promise<ShellSession> {
    const found = this.load(sandboxId);
    if (!found) throw new SandboxNotFoundError(sandboxId);
    return openConfinedShell(found.ctx, { ...options, confine: this.confineShell });
  }

  destroy(sandboxId: string): Promise<void> {
    sandboxIdSchema.parse(sandboxId);
    return this.lock.run(sandboxId, async () => {
      const layout = sandboxLayout(this.dirOf(sandboxId));
      if (!existsSync(layout.root)) return this.networks.remove(sandboxId);
      const state = readSandboxState(layout.stateFile);
      // The data is deleted next, so a clean shutdown buys nothing: a short grace period, in parallel.
      const servers = (state?.servers ?? []).filter((server) => processMentions(server.pid, layout.root));
      await Promise.all(servers.map((server) => killProcessGroup(server.pid, 2000)));
      // Whatever a learner's command left running (or servers whose state was lost).
      await killProcesses(processesUnder(layout.root));
      await this.networks.remove(sandboxId);
      rmSync(layout.root, { recursive: true, force: true });
      for (const server of state?.servers ?? []) {
        this.exits.delete(server.pid);
        this.children.delete(server.pid);
      }
      this.phases.delete(sandboxId);
    });
  }

  /**
   * The sandboxes on disk. What a crash left without a state file (a directory, a network
   * namespace) belongs to no sandbox anyone can name, so it is removed here, where the
   * reconciler looks.
   */
  async list(): Promise<SandboxSpec[]> {
    const names = existsSync(this.baseDir) ? readdirSync(this.baseDir) : [];
    const specs: SandboxSpec[] = [];
    for (const name of names) {
      const state = readSandboxState(sandboxLayout(path.join(this.baseDir, name)).stateFile);
      if (state) specs.push(state.spec);
    }
    const known = new Set(specs.map((spec) => spec.sandboxId));
    const leftovers = new Set([...names, ...this.networks.listSandboxIds()].filter((id) => !known.has(id) && !this.creating.has(id)));
    for (const sandboxId of leftovers) if (sandboxIdSchema.safeParse(sandboxId).success) await this.destroy(sandboxId);
    return specs;
  }

  /**
   * The learner's programs are every process of the sandbox (working directory or command line in
   * its directory, as destroy finds them) outside its servers' process groups: the terminal's
   * shells and what they started, and commands exec'd into the sandbox. Kafka is asked for its
   * groups with members.
   */
  async activity(sandboxId: string): Promise<SandboxActivity | null> {
    const found = this.load(sandboxId);
    if (!found) return null;
    const serverGroups = new Set(found.state.servers.map((server) => server.pid));
    const programs = processesUnder(found.ctx.layout.root).filter((pid) => !serverGroups.has(processGroupOf(pid)));
    const kafka = found.state.spec.services.includes("kafka") ? kafkaBootstrap(found.ctx) : null;
    return {
      learnerCpuSeconds: programs.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
      runningSparkApplications: programs.filter(isSparkApplication).length,
      activeConsumerGroups: kafka ? await activeConsumerGroups(kafka) : [],
    };
  }

  /** Total resident memory of everything running for the sandbox (servers and exec'd commands). */
  residentMemoryBytes(sandboxId: string): number {
    return residentBytesOf(processesUnder(this.dirOf(sandboxId)));
  }

  private dirOf(sandboxId: string): string {
    return path.join(this.baseDir, sandboxIdSchema.parse(sandboxId));
  }

  private load(sandboxId: string): { ctx: SandboxContext; state: LocalSandboxRecord } | null {
    const layout = sandboxLayout(this.dirOf(sandboxId));
    const state = readSandboxState(layout.stateFile);
    if (!state) return null;
    return { state, ctx: contextOf(state, layout, labSoftware(this.software)) };
  }

  private async provisionLocked(spec: SandboxSpec): Promise<SandboxStatus> {
    const software = labSoftware(this.software); // fails with the install command before anything is created
    const layout = sandboxLayout(this.dirOf(spec.sandboxId));
    let state = readSandboxState(layout.stateFile);
    if (state && !sameSpec(state.spec, spec)) throw new SandboxConflictError(spec.sandboxId);
    if (!state) {
      this.creating.add(spec.sandboxId);
      try {
        for (const dir of [layout.workspace, layout.logs, layout.tmp]) mkdirSync(dir, { recursive: true });
        state = { spec, network: await this.networks.ensure(spec.sandboxId), servers: [] };
        writeSandboxState(layout.stateFile, state);
      } finally {
        this.creating.delete(spec.sandboxId);
      }
    }
    // A reboot empties /run/netns while the directory stays: the sandbox gets a link again.
    const network = await this.networks.ensure(spec.sandboxId);
    if (JSON.stringify(network) !== JSON.stringify(state.network)) {
      state = { ...state, network };
      writeSandboxState(layout.stateFile, state);
    }
    const ctx = contextOf(state, layout, software);
    writeCliWrappers(ctx);
    const current = state;
    await Promise.all([...new Set(spec.services)].map((service) => this.ensureService(ctx, current, launchers[service])));
    return this.describe(ctx, current);
  }

  /** Starts the service unless all its servers already run, then waits for it to answer. */
  private async ensureService(ctx: SandboxContext, state: LocalSandboxRecord, launcher: ServiceLauncher): Promise<void> {
    const { sandboxId } = state.spec;
    const service = launcher.service;
    const running = state.servers.filter((s) => s.service === service && processMentions(s.pid, ctx.layout.root));
    const phase = this.phase(sandboxId, service);
    const allRunning = running.length === launcher.roles.length;
    if (allRunning && phase?.state === "ready") return;
    if (allRunning && launcher.roles.length > 0 && phase === undefined) {
      // Servers found alive after a lab-runner restart: adopt them rather than restart.
      const outcome = await waitUntilReady(launcher, ctx, [], this.readyTimeoutMs);
      this.setPhase(sandboxId, service, outcome.ready ? { state: "ready" } : { state: "failed", reason: outcome.reason });
      return;
    }
    this.setPhase(sandboxId, service, { state: "starting" });
    try {
      // A half-running service (one of NameNode/DataNode died) is restarted as a whole.
      for (const server of running) await killProcessGroup(server.pid);
      await launcher.prepare(ctx);
      const started = launcher.start(ctx);
      for (const server of started) {
        this.children.set(server.pid, server.exited);
        void server.exited.then((exit) => {
          this.exits.set(server.pid, exit);
          this.children.delete(server.pid);
        });
      }
      state.servers = [
        ...state.servers.filter((s) => s.service !== service),
        ...started.map(({ role, pid, logFile }) => ({ service, role, pid, logFile })),
      ];
      writeSandboxState(ctx.layout.stateFile, state);
      const outcome = await waitUntilReady(launcher, ctx, started, this.readyTimeoutMs);
      this.setPhase(sandboxId, service, outcome.ready ? { state: "ready" } : { state: "failed", reason: outcome.reason });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const [reason = message, ...details] = message.split("\n");
      this.setPhase(sandboxId, service, { state: "failed", reason, logTail: details.slice(-40).join("\n") });
    }
  }

  /** The exit of a server this process started and that is gone, once Node has delivered it (a moment after the kill). */
  private async exitOfChild(pid: number): Promise<ProcessExit | undefined> {
    const exited = this.children.get(pid);
    if (!exited) return undefined;
    return Promise.race([exited, sleep(2000).then(() => undefined)]);
  }

  private phase(sandboxId: string, service: ServiceName): ProvisionPhase | undefined {
    return this.phases.get(sandboxId)?.[service];
  }

  private setPhase(sandboxId: string, service: ServiceName, phase: ProvisionPhase): void {
    this.phases.set(sandboxId, { ...this.phases.get(sandboxId), [service]: phase });
  }

  private async describe(ctx: SandboxContext, state: LocalSandboxRecord): Promise<SandboxStatus> {
    const services: Partial<Record<ServiceName, ServiceStatus>> = {};
    await Promise.all(
      [...new Set(state.spec.services)].map(async (service) => {
        services[service] = await this.serviceStatus(ctx, state, launchers[service]);
      }),
    );
    const { services: names } = state.spec;
    return {
      sandboxId: state.spec.sandboxId,
      spec: state.spec,
      services,
      endpoints: {
        ...(names.includes("kafka") ? { kafkaBootstrapServers: kafkaBootstrap(ctx) } : {}),
        ...(names.includes("hdfs") ? { hdfsUri: hdfsUri(ctx), webHdfsUrl: webHdfsUrl(ctx), hdfsAuditLogUrl: hdfsAuditLogUrl(ctx) } : {}),
      },
    };
  }

  private async serviceStatus(ctx: SandboxContext, state: LocalSandboxRecord, launcher: ServiceLauncher): Promise<ServiceStatus> {
    const service = launcher.service;
    const tail = () =>
      launcher
        .logFiles(ctx)
        .map((file) => `==> ${path.basename(file)} <==\n${logTail(file)}`)
        .join("\n");
    const phase = this.phase(state.spec.sandboxId, service);
    if (phase?.state === "failed") return { state: "failed", reason: phase.reason, logTail: phase.logTail ?? tail() };
    for (const role of launcher.roles) {
      const server = state.servers.find((s) => s.service === service && s.role === role);
      if (server && processMentions(server.pid, ctx.layout.root)) continue;
      const exit = server ? (this.exits.get(server.pid) ?? (await this.exitOfChild(server.pid))) : undefined;
      // An exit this process saw is a crash; a server gone without one was stopped (reboot, operator).
      return exit ? { state: "failed", reason: `${role} exited (${describeExit(exit)})`, logTail: tail() } : { state: "stopped" };
    }
    if (phase?.state === "starting") return { state: "starting" };
    if (await launcher.probe(ctx)) return { state: "ready" };
    // Without a recorded phase (lab-runner restarted) a silent service may still be coming up.
    return phase ? { state: "failed", reason: "stopped answering its readiness probe", logTail: tail() } : { state: "starting" };
  }
}
