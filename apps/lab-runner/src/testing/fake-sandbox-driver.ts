import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pty from "node-pty";
import { runCommand } from "../driver/local/run-command";
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
  type ServiceStatus,
  type ShellOptions,
  type ShellSession,
} from "../driver/sandbox-driver";

interface FakeSandbox {
  spec: SandboxSpec;
  services: Partial<Record<ServiceName, ServiceStatus>>;
  /** A real directory, so exec'd commands (seeding a lab's dataset, say) really write files. */
  workspace: string;
  activity: SandboxActivity;
}

/**
 * A SandboxDriver whose sandboxes are entries in a map and whose services are whatever the test
 * says they are, for fast tests of what sits above the driver (the manager's reconcile and reap).
 * exec and openShell run real processes, in a temporary directory per sandbox, so the contract's
 * exit codes, output and timeouts are the real thing; only the services (Kafka, HDFS, Spark) are
 * pretend. It passes the same conformance suite as the real drivers.
 */
export class FakeSandboxDriver implements SandboxDriver {
  private readonly sandboxes = new Map<string, FakeSandbox>();

  async provision(input: SandboxSpec): Promise<SandboxStatus> {
    const spec = sandboxSpecSchema.parse(input);
    const existing = this.sandboxes.get(spec.sandboxId);
    if (existing && !sameSpec(existing.spec, spec)) throw new SandboxConflictError(spec.sandboxId);
    const sandbox = existing ?? {
      spec,
      services: {},
      workspace: mkdtempSync(path.join(tmpdir(), `fake-sandbox-${spec.sandboxId}-`)),
      activity: { learnerCpuSeconds: 0, runningSparkApplications: 0, activeConsumerGroups: [] },
    };
    // Like the real drivers, provisioning again brings failed and stopped services back.
    for (const service of new Set(spec.services)) sandbox.services[service] = { state: "ready" };
    this.sandboxes.set(spec.sandboxId, sandbox);
    return this.describe(sandbox);
  }

  async status(sandboxId: string): Promise<SandboxStatus | null> {
    const sandbox = this.sandboxes.get(sandboxIdSchema.parse(sandboxId));
    return sandbox ? this.describe(sandbox) : null;
  }

  async exec(sandboxId: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const sandbox = this.found(sandboxId);
    return runCommand(argv, {
      cwd: sandbox.workspace,
      env: { ...this.envOf(sandbox), ...options.env },
      timeoutMs: options.timeoutMs ?? 60_000,
      stdin: options.stdin,
    });
  }

  async openShell(sandboxId: string, options: ShellOptions): Promise<ShellSession> {
    const sandbox = this.found(sandboxId);
    const shell = pty.spawn("/bin/sh", [], {
      name: "xterm-256color",
      cwd: sandbox.workspace,
      env: this.envOf(sandbox),
      cols: options.cols,
      rows: options.rows,
    });
    return {
      write: (data) => shell.write(data),
      resize: (cols, rows) => shell.resize(cols, rows),
      onData: (listener) => void shell.onData(listener),
      onExit: (listener) => void shell.onExit(({ exitCode }) => listener(exitCode)),
      kill: () => shell.kill(),
    };
  }

  async activity(sandboxId: string): Promise<SandboxActivity | null> {
    const sandbox = this.sandboxes.get(sandboxIdSchema.parse(sandboxId));
    return sandbox ? structuredClone(sandbox.activity) : null;
  }

  async destroy(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxIdSchema.parse(sandboxId));
    if (!sandbox) return;
    this.sandboxes.delete(sandboxId);
    rmSync(sandbox.workspace, { recursive: true, force: true });
  }

  async list(): Promise<SandboxSpec[]> {
    return [...this.sandboxes.values()].map((sandbox) => structuredClone(sandbox.spec));
  }

  /**
   * What a crashed broker or a stopped DataNode looks like from above: the test sets a service's
   * state behind the manager's back, as a kill -9 would on a real driver.
   */
  setServiceStatus(sandboxId: string, service: ServiceName, status: ServiceStatus): void {
    const sandbox = this.found(sandboxId);
    if (!sandbox.spec.services.includes(service)) throw new Error(`sandbox ${sandboxId} has no ${service}`);
    sandbox.services[service] = status;
  }

  /** What the learner runs, as the test says: a Spark job, CPU used so far, consumers in a group. */
  setActivity(sandboxId: string, activity: Partial<SandboxActivity>): void {
    const sandbox = this.found(sandboxId);
    sandbox.activity = { ...sandbox.activity, ...activity };
  }

  private found(sandboxId: string): FakeSandbox {
    const sandbox = this.sandboxes.get(sandboxIdSchema.parse(sandboxId));
    if (!sandbox) throw new SandboxNotFoundError(sandboxId);
    return sandbox;
  }

  /** Nothing of the test process's environment leaks in, as with the real drivers. */
  private envOf(sandbox: FakeSandbox): Record<string, string> {
    const env: Record<string, string> = {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: sandbox.workspace,
      LANG: "C.UTF-8",
      LAB_SANDBOX_ID: sandbox.spec.sandboxId,
    };
    return env;
  }

  /** A copy, so a caller holding a status cannot change the sandbox. Endpoints name no real host (.invalid). */
  private describe(sandbox: FakeSandbox): SandboxStatus {
    const { spec } = sandbox;
    const host = `${spec.sandboxId}.invalid`;
    return {
      sandboxId: spec.sandboxId,
      spec: structuredClone(spec),
      services: structuredClone(sandbox.services),
      endpoints: {
        ...(spec.services.includes("kafka") ? { kafkaBootstrapServers: `${host}:9092` } : {}),
        ...(spec.services.includes("hdfs") ? { hdfsUri: `hdfs://${host}:8020`, webHdfsUrl: `http://${host}:9870/webhdfs/v1` } : {}),
      },
    };
  }
}
