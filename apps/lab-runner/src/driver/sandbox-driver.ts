import * as z from "zod";

/**
 * The one contract between lab-runner and whatever runs sandboxes (local child processes today,
 * a namespace per sandbox on Kubernetes later), in the spirit of JupyterHub's Spawner.
 * Every call is idempotent by sandbox id, so a reconciler can simply repeat it after a crash.
 * Nothing here may mention processes, ports or paths: those are one driver's business.
 */

export const serviceNames = ["kafka", "hdfs", "spark"] as const;
export type ServiceName = (typeof serviceNames)[number];

/** Sandbox ids become directory names, namespace names and DNS labels, hence the strict shape. */
export const sandboxIdSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "lowercase DNS label, at most 40 chars");

export const sandboxSpecSchema = z.object({
  sandboxId: sandboxIdSchema,
  services: z.array(z.enum(serviceNames)).min(1),
  /** Opaque lab seed (e.g. which data set a lab starts from); exported to exec'd commands as LAB_SEED. */
  seed: z.string().optional(),
});
export type SandboxSpec = z.infer<typeof sandboxSpecSchema>;

export type ServiceStatus =
  | { state: "starting" }
  | { state: "ready" }
  | { state: "failed"; reason: string; logTail: string }
  | { state: "stopped" };

/** How graders and the terminal reach a sandbox; present only for provisioned services. */
export interface SandboxEndpoints {
  kafkaBootstrapServers?: string;
  /** fs.defaultFS, e.g. hdfs://host:port */
  hdfsUri?: string;
  /** Base of the WebHDFS REST API, e.g. http://host:port/webhdfs/v1 */
  webHdfsUrl?: string;
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
}

export interface ExecResult {
  /** null when the command was killed (timeout) rather than exiting. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
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
  /** Stops everything and removes all traces; unknown ids are a no-op. */
  destroy(sandboxId: string): Promise<void>;
  list(): Promise<SandboxSpec[]>;
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
