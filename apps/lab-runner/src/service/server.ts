import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { findLab as findCookbookLab, type Lab } from "@cookbook/content/labs";
import type { Database } from "@cookbook/db/client";
import { sql } from "drizzle-orm";
import type { SandboxDriver } from "../driver/sandbox-driver";
import type { SandboxPolicy } from "./config";
import { authorized, createHttpApi } from "./http-api";
import { createLogger, type Logger } from "@cookbook/lab-runner-api/logging";
import { createLabRunnerMetrics, serveMetrics } from "./observability/metrics";
import { observeRequests } from "./observability/request-log";
import { SandboxManager } from "./sandbox-manager";
import { SandboxStore } from "./sandbox-store";
import { createTerminalSocket } from "./terminal-socket";

export interface LabRunnerServerOptions {
  db: Database;
  driver: SandboxDriver;
  driverName: string;
  secret: string;
  policy: SandboxPolicy;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  reaperIntervalMs?: number;
  findLab?: (slug: string) => Lab | undefined;
  /** JSON lines on stdout unless given (tests capture or silence it). */
  logger?: Logger;
}

/**
 * lab-runner as a service: reconciles with the driver, then serves the internal API and the
 * terminal, and reaps expired sandboxes on a timer. close() stops serving but leaves sandboxes
 * running: they belong to Postgres, and the next start adopts them.
 */
export async function startLabRunnerServer(options: LabRunnerServerOptions) {
  const logger = options.logger ?? createLogger();
  const metrics = createLabRunnerMetrics(options.db);
  const store = new SandboxStore(options.db);
  const manager = new SandboxManager({
    store,
    driver: options.driver,
    driverName: options.driverName,
    policy: options.policy,
    findLab: options.findLab ?? findCookbookLab,
    logger,
    metrics,
  });
  const reconciled = await manager.reconcile();
  logger.info(reconciled, "reconciled");

  const health = async () => {
    const database = await options.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    return { ok: database, details: { driver: options.driverName, database: { reachable: database } } };
  };
  const api = createHttpApi({ manager, secret: options.secret, health });
  const terminal = createTerminalSocket({ manager, store, driver: options.driver, secret: options.secret, logger });
  const server = createServer(
    observeRequests({ logger, metrics }, async (req, res, log) => {
      // Metrics share the API's secret; any other /metrics request gets the API's 401 or 404.
      const metricsScrape = req.method === "GET" && new URL(req.url ?? "/", "http://lab-runner").pathname === "/metrics";
      if (metricsScrape && authorized(req.headers.authorization, options.secret)) return serveMetrics(res, metrics.registry);
      return api(req, res, log);
    }),
  );
  server.on("upgrade", (req, socket, head) => {
    if (!terminal.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  const reaper = setInterval(() => {
    const { driver } = options;
    Promise.all([manager.reap(), driver.reapExpired?.()]).catch((error: unknown) => logger.error({ err: error }, "reaper failed"));
  }, options.reaperIntervalMs ?? 30_000);
  reaper.unref();

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    manager,
    async close() {
      clearInterval(reaper);
      terminal.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await manager.settled();
    },
  };
}
export type LabRunnerServer = Awaited<ReturnType<typeof startLabRunnerServer>>;
export type { SandboxPolicy } from "./config";
