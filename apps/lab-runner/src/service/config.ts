import { createEnv } from "@t3-oss/env-core";
import * as z from "zod";

/** Sandbox policy: how long a sandbox lives and how many may run at once. */
export interface SandboxPolicy {
  /** Hard lifetime from start. */
  ttlMs: number;
  /** A sandbox nobody has used (terminal input, checks, starts) for this long is reaped. */
  idleMs: number;
  perLearner: number;
  perTenant: number;
}

const minutes = (n: number) => n * 60_000;

/** lab-runner's configuration, from the environment; the launcher and the manifests set it. */
export function labRunnerConfig(source: NodeJS.ProcessEnv = process.env) {
  const env = createEnv({
    server: {
      /** local: child processes on this machine; kubernetes: a namespace per sandbox (see src/driver/kubernetes). */
      LAB_DRIVER: z.enum(["local", "kubernetes"]).default("local"),
      LAB_RUNNER_SECRET: z.string().min(32, "LAB_RUNNER_SECRET must be at least 32 characters"),
      LAB_RUNNER_HOST: z.string().default("127.0.0.1"),
      LAB_RUNNER_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
      LAB_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
      LAB_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
      LAB_LIMIT_PER_LEARNER: z.coerce.number().int().min(1).max(100).default(1),
      LAB_LIMIT_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(10),
      LAB_REAPER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
      /** Confine terminal shells with bubblewrap; only for machines where it cannot run. */
      LAB_TERMINAL_CONFINE: z.enum(["bwrap", "none"]).default("bwrap"),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  });
  return {
    driver: env.LAB_DRIVER,
    secret: env.LAB_RUNNER_SECRET,
    host: env.LAB_RUNNER_HOST,
    port: env.LAB_RUNNER_PORT,
    reaperIntervalMs: env.LAB_REAPER_INTERVAL_SECONDS * 1000,
    confineTerminal: env.LAB_TERMINAL_CONFINE === "bwrap",
    policy: {
      ttlMs: minutes(env.LAB_TTL_MINUTES),
      idleMs: minutes(env.LAB_IDLE_MINUTES),
      perLearner: env.LAB_LIMIT_PER_LEARNER,
      perTenant: env.LAB_LIMIT_PER_TENANT,
    } satisfies SandboxPolicy,
  };
}
export type LabRunnerConfig = ReturnType<typeof labRunnerConfig>;
