import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Integration tests against real Kafka, HDFS and Spark processes:
 *   pnpm exec vitest run --config apps/lab-runner/vitest.config.ts   (from the repo root)
 * The test file runs scripts/install-lab-software.sh itself, so it also works when picked up
 * by the root "integration" project. One file at a time: each sandbox wants ~1 GiB and the CPUs.
 */
export default defineConfig({
  // Resolve includes against this app, whatever directory vitest is started from.
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    include: ["src/**/*.integration-test.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 1_200_000,
  },
});
