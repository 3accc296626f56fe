/**
 * lab-runner's entry point: `tsx src/service/main.ts`. Needs DATABASE_URL (the web launcher
 * passes its own) and LAB_RUNNER_SECRET; LAB_DRIVER picks local processes or Kubernetes; see
 * config.ts for the rest.
 */
import { createDatabase } from "@cookbook/db/client";
import { kubernetesDriverConfig } from "../driver/kubernetes/kubernetes-config";
import { KubernetesSandboxDriver } from "../driver/kubernetes/kubernetes-driver";
import { LocalSandboxDriver } from "../driver/local/local-driver";
import type { SandboxDriver } from "../driver/sandbox-driver";
import { labRunnerConfig } from "./config";
import { createLogger } from "@cookbook/lab-runner-api/logging";
import { startLabRunnerServer } from "./server";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("[lab-runner] DATABASE_URL is not set: start lab-runner through scripts/start.sh, or point it at the platform's database.");
  process.exit(1);
}
const config = labRunnerConfig();
const driver: SandboxDriver =
  config.driver === "kubernetes"
    ? new KubernetesSandboxDriver({ config: kubernetesDriverConfig() })
    : new LocalSandboxDriver({ confineShell: config.confineTerminal });
const { db, pool } = createDatabase(databaseUrl, 5);
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
    logger.fatal({ port: config.port }, `port ${config.port} on ${config.host} is taken: set LAB_RUNNER_PORT to a free port, or stop what listens there`);
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
