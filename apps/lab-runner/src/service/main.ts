/**
 * lab-runner's entry point: `tsx src/service/main.ts`. Needs DATABASE_URL (the web launcher
 * passes its own) and LAB_RUNNER_SECRET; LAB_DRIVER picks local processes or Kubernetes; see
 * config.ts for the rest: parsed here once and passed down.
 */
import { createDatabase } from "@cookbook/db/client";
import { KubernetesSandboxDriver } from "../driver/kubernetes/kubernetes-driver";
import { LocalSandboxDriver } from "../driver/local/local-driver";
import type { SandboxDriver } from "../driver/sandbox-driver";
import { labRunnerConfig } from "./config";
import { createLogger } from "@cookbook/lab-runner-api/logging";
import { startLabRunnerServer } from "./server";

// The one read of the environment: a bad or missing variable stops the start with its name.
const config = labRunnerConfig(process.env);
const driver: SandboxDriver =
  config.driver === "kubernetes"
    ? new KubernetesSandboxDriver({ config: config.kubernetes })
    : new LocalSandboxDriver({ ...config.local, confineShell: config.confineTerminal });
const { db, pool } = createDatabase(config.database.url, config.database.poolSize);
const logger = createLogger();
const server = await startLabRunnerServer({
  db,
  driver,
  driverName: config.driver,
  secret: config.secret,
  policy: config.policy,
  host: config.host,
  port: config.port,
  reaperIntervalMs: config.reaperIntervalMs,
  logger,
}).catch(async (error: unknown) => {
  // A taken port is an operator's fix, not a crash: name the variable, no stack trace.
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    logger.fatal(
      { port: config.port },
      `port ${config.port} on ${config.host} is taken: set LAB_RUNNER_PORT to a free port, or stop what listens there`,
    );
    await pool.end();
    process.exit(2);
  }
  throw error;
});
logger.info({ url: server.url, driver: config.driver }, "listening");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server
      .close()
      .then(() => driver.close?.())
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
