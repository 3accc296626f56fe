import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEnv } from "@t3-oss/env-core";
import * as z from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const env = createEnv({
  server: {
    LAB_CACHE_DIR: z.string().min(1).optional(),
    LAB_SANDBOX_DIR: z.string().min(1).optional(),
    LAB_JAVA_HOME: z.string().min(1).optional(),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
});

/** Where the installer put Kafka, Hadoop and pyspark (must match scripts/install-lab-software.sh). */
export const labCacheDir = path.resolve(env.LAB_CACHE_DIR ?? path.join(repoRoot, ".cache/lab-software"));

/** Parent of the per-sandbox directories of the local driver. */
export const labSandboxDir = path.resolve(env.LAB_SANDBOX_DIR ?? path.join(repoRoot, ".cache/sandboxes"));

/** Overrides the Java the installer recorded; Kafka 4, Hadoop 3.5 and Spark 4 all need 17+. */
export const labJavaHomeOverride = env.LAB_JAVA_HOME;
