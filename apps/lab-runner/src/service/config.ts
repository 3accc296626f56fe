import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEnv } from "@t3-oss/env-core";
import * as z from "zod";
import { kubernetesDriverConfig } from "../driver/kubernetes/kubernetes-config";
import type { LabSoftwareLocation } from "../driver/local/lab-software";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

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

/** The local driver's directories (LAB_SANDBOX_DIR, LAB_CACHE_DIR, LAB_JAVA_HOME), defaults under <repo>/.cache. */
export function localDriverConfig(source: NodeJS.ProcessEnv): { baseDir: string; software: LabSoftwareLocation } {
  const env = createEnv({
    server: {
      LAB_SANDBOX_DIR: z.string().min(1).optional(),
      /** Must match scripts/install-lab-software.sh, which reads the same variable. */
      LAB_CACHE_DIR: z.string().min(1).optional(),
      /** Overrides the Java the installer recorded; Kafka 4, Hadoop 3.5 and Spark 4 all need 17+. */
      LAB_JAVA_HOME: z.string().min(1).optional(),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  });
  return {
    baseDir: path.resolve(env.LAB_SANDBOX_DIR ?? path.join(repoRoot, ".cache/sandboxes")),
    software: { cacheDir: path.resolve(env.LAB_CACHE_DIR ?? path.join(repoRoot, ".cache/lab-software")), javaHome: env.LAB_JAVA_HOME },
  };
}

/**
 * The default installation id: 12 hex of sha256 over the database's host, port and name. Two
 * installs are two databases; the same database reached as another role (web's, lab-runner's)
 * or with another password is the same install, so user and password are left out.
 */
export function installationIdOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const where = [url.hostname.toLowerCase(), url.port || "5432", decodeURIComponent(url.pathname.replace(/^\//, ""))].join("\n");
  return createHash("sha256").update(where).digest("hex").slice(0, 12);
}

/**
 * lab-runner's whole configuration, parsed once by main.ts from the environment (the launcher
 * and the manifests set it) and passed down; nothing below main.ts reads process.env.
 */
export function labRunnerConfig(source: NodeJS.ProcessEnv) {
  const env = createEnv({
    server: {
      /** The launcher passes lab-runner's own role as DATABASE_URL; run apart, DATABASE_URL_LAB_RUNNER wins (the README's pair). */
      DATABASE_URL: z.url("DATABASE_URL must be a postgres:// URL of the platform's database"),
      DATABASE_URL_LAB_RUNNER: z.url().optional(),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
      /** local: child processes on this machine; kubernetes: a namespace per sandbox (see src/driver/kubernetes). */
      LAB_DRIVER: z.enum(["local", "kubernetes"]).default("local"),
      LAB_RUNNER_SECRET: z.string().min(32, "LAB_RUNNER_SECRET must be at least 32 characters"),
      LAB_RUNNER_HOST: z.string().default("127.0.0.1"),
      LAB_RUNNER_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
      LAB_TTL_MINUTES: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(120),
      LAB_IDLE_MINUTES: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      LAB_LIMIT_PER_LEARNER: z.coerce.number().int().min(1).max(100).default(1),
      LAB_LIMIT_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(10),
      LAB_REAPER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
      /** Confine terminal shells with bubblewrap; only for machines where it cannot run. */
      LAB_TERMINAL_CONFINE: z.enum(["bwrap", "none"]).default("bwrap"),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  });
  const databaseUrl = env.DATABASE_URL_LAB_RUNNER ?? env.DATABASE_URL;
  return {
    database: { url: databaseUrl, poolSize: env.DATABASE_POOL_SIZE },
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
    local: localDriverConfig(source),
    kubernetes: kubernetesDriverConfig(source, installationIdOf(databaseUrl)),
  };
}
export type LabRunnerConfig = ReturnType<typeof labRunnerConfig>;
