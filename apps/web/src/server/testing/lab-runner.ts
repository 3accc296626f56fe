import { readFileSync } from "node:fs";
import type { Database } from "@cookbook/db/client";
import { startLabRunnerServer, type SandboxPolicy } from "@cookbook/lab-runner/server";
import pino from "pino";
import { installLabSoftware, processesUnder, sweepKilledRuns, testDriver } from "@cookbook/lab-runner/testing";

export const testPolicy: SandboxPolicy = { ttlMs: 2 * 3_600_000, idleMs: 30 * 60_000, perLearner: 1, perTenant: 10 };

/**
 * The real lab-runner with the local driver (real Kafka, HDFS, Spark processes) in a directory of
 * this test file's own, for the web app's integration tests. `stop` closes it and destroys
 * every sandbox it made, so no process, port or directory outlives the test file.
 */
export async function startTestLabRunner(db: Database, secret: string, name: string) {
  installLabSoftware();
  await sweepKilledRuns();
  const sandboxes = testDriver(name);
  const server = await startLabRunnerServer({
    db,
    driver: sandboxes.driver,
    driverName: "local",
    secret,
    policy: testPolicy,
    logger: pino({ level: "silent" }),
  });
  return {
    url: server.url,
    manager: server.manager,
    driver: sandboxes.driver,
    /** Kills the sandbox's Kafka broker behind lab-runner's back, as a learner's `kill` would. */
    killBroker(sandboxId: string) {
      const broker = processesUnder(`${sandboxes.baseDir}/${sandboxId}`).find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka"),
      );
      if (!broker) throw new Error(`no Kafka broker runs in ${sandboxId}`);
      process.kill(broker, "SIGKILL");
    },
    async stop() {
      await server.close();
      await sandboxes.destroyAll();
    },
  };
}
