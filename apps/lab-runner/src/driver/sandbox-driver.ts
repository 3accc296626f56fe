import { sandboxIdSchema, serviceNames, type ServiceName } from "@cookbook/lab-runner-api/vocabulary";
import * as z from "zod";

/**
 * The one contract between lab-runner and whatever runs sandboxes (local child processes today,
 * a namespace per sandbox on Kubernetes later), in the spirit of JupyterHub's Spawner.
 * Every call is idempotent by sandbox id, so a reconciler can simply repeat it after a crash.
 * Nothing here may mention processes, ports or paths: those are one driver's business.
 */

// Service names and the sandbox-id shape are the lab vocabulary's; drivers take them from here.
export { sandboxIdSchema, serviceNames, type ServiceName } from "@cookbook/lab-runner-api/vocabulary";

export const sandboxSpecSchema = z.object({
  sandboxId: sandboxIdSchema,
  services: z.array(z.enum(serviceNames)).min(1),
  /**
   * Opaque lab seed (which data set a lab starts from). It stays with lab-runner and never enters
   * the sandbox: the grader draws Kafka-only evidence from it that the learner must not compute.
   */
  seed: z.string().optional(),
  /** Who and what the sandbox is for: the Kubernetes driver labels its namespace with them. */
  owner: z.object({ tenantId: z.string(), userId: z.string(), labSlug: z.string() }).optional(),
  /** After this the sandbox may be removed whatever Postgres says (the driver's own safety net). */
  expiresAt: z.iso.datetime().optional(),
});
export type SandboxSpec = z.infer<typeof sandboxSpecSchema>;

export type ServiceStatus = { state: "starting" } | { state: "ready" } | { state: "failed"; reason: string; logTail: string } | { state: "stopped" };

/** How graders and the terminal reach a sandbox; present only for provisioned services. */
export interface SandboxEndpoints {
  kafkaBootstrapServers?: string;
  /** fs.defaultFS, e.g. hdfs://host:port */
  hdfsUri?: string;
  /** Base of the WebHDFS REST API, e.g. http://host:port/webhdfs/v1 */
  webHdfsUrl?: string;
  /**
   * The NameNode's audit log over HTTP (one line per file system call, with the caller's context),
   * which the grader reads as evidence of who wrote a file: the NameNode writes it, the learner cannot.
   */
  hdfsAuditLogUrl?: string;
}

export interface SandboxStatus {
  sandboxId: string;
  spec: SandboxSpec;
  services: Partial<Record<ServiceName, ServiceStatus>>;
  endpoints: SandboxEndpoints;
}

export interface ExecOptions {
  /** Killed (whole process tree) after this long; default 60 s. */
  timeoutMs?: number;
  stdin?: string;
  /** Extra environment on top of the sandbox's own. */
  env?: Record<string, string>;
  /**
   * A program the learner wrote (a lab's serving query) that the grader runs: it gets exactly the
   * rights of the learner's own terminal and no more. A driver whose exec already runs where the
   * terminal does, with the same rights, needs do nothing for it.
   */
  asLearner?: boolean;
}

export interface ExecResult {
  /** null when the command was killed (timeout) rather than exiting. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** An interactive shell in a sandbox, on a pseudo-terminal (the in-page terminal). */
export interface ShellSession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exitCode: number | null) => void): void;
  /** Ends the shell and everything started from it. */
  kill(): void;
}

export interface ShellOptions {
  cols: number;
  rows: number;
}

/**
 * What the learner has running in a sandbox besides its services, which idleness must not end
 * (a Spark job that takes an hour is not an idle sandbox).
 */
export interface SandboxActivity {
  /** CPU seconds the learner's programs have used so far, those that ended included: it grows while they work. */
  learnerCpuSeconds: number;
  /** Spark applications running now (a local-mode spark-submit, a pyspark session). */
  runningSparkApplications: number;
  /** Consumer groups of the sandbox's Kafka with members now: a consumer that runs. */
  activeConsumerGroups: string[];
}

export interface SandboxDriver {
  /**
   * Creates the sandbox, or brings an existing one with the same spec back to running, and
   * resolves once every service is ready or failed. Rejects with SandboxConflictError when the id
   * exists with a different spec.
   */
  provision(spec: SandboxSpec): Promise<SandboxStatus>;
  /** null when no sandbox has this id. */
  status(sandboxId: string): Promise<SandboxStatus | null>;
  /**
   * Runs argv inside the sandbox with its CLIs on PATH and its endpoints in the environment
   * (KAFKA_BOOTSTRAP_SERVERS, HDFS_URI, HADOOP_CONF_DIR, SPARK_HOME). Rejects with
   * SandboxNotFoundError for an unknown id.
   */
  exec(sandboxId: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * Opens a learner's shell with the same PATH and environment as exec, confined to the sandbox:
   * it must not see the platform's files, secrets or other sandboxes. Rejects with
   * SandboxNotFoundError for an unknown id.
   */
  openShell(sandboxId: string, options: ShellOptions): Promise<ShellSession>;
  /** Stops everything and removes all traces; unknown ids are a no-op. */
  destroy(sandboxId: string): Promise<void>;
  list(): Promise<SandboxSpec[]>;
  /**
   * What the learner has running; null when no sandbox has this id. A driver without it cannot
   * tell a running job from idleness, and its sandboxes end after the idle time regardless.
   */
  activity?(sandboxId: string): Promise<SandboxActivity | null>;
  /** The driver's own expiry safety net (sandboxes past spec.expiresAt), independent of Postgres. */
  reapExpired?(now?: Date): Promise<string[]>;
  /** Releases watches and connections; sandboxes keep running. */
  close?(): Promise<void>;
}

export class SandboxNotFoundError extends Error {
  constructor(readonly sandboxId: string) {
    super(`sandbox ${sandboxId} does not exist`);
    this.name = "SandboxNotFoundError";
  }
}

export class SandboxConflictError extends Error {
  constructor(readonly sandboxId: string) {
    super(`sandbox ${sandboxId} already exists with a different spec`);
    this.name = "SandboxConflictError";
  }
}

export function sameSpec(a: SandboxSpec, b: SandboxSpec): boolean {
  const services = (s: SandboxSpec) => [...new Set(s.services)].sort().join(",");
  return a.sandboxId === b.sandboxId && services(a) === services(b) && (a.seed ?? "") === (b.seed ?? "");
}
