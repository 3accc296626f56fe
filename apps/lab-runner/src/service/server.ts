import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { findLab as findCookbookLab, type Lab } from "@cookbook/content/labs";
import type { Database } from "@cookbook/db/client";
import { sql } from "drizzle-orm";
import type { SandboxDriver } from "../driver/sandbox-driver";
import type { SandboxPolicy } from "./config";
import { createHttpApi } from "./http-api";
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
  log?: (line: string) => void;
}

/**
 * lab-runner as a service: reconciles with the driver, then serves the internal API and the
 * terminal, and reaps expired sandboxes on a timer. close() stops serving but leaves sandboxes
 * running: they belong to Postgres, and the next start adopts them.
 */
export async function startLabRunnerServer(options: LabRunnerServerOptions) {
  const log = options.log ?? ((line: string) => console.log(`[lab-runner] ${line}`));
  const store = new SandboxStore(options.db);
  const manager = new SandboxManager({
    store,
    driver: options.driver,
    driverName: options.driverName,
    policy: options.policy,
    findLab: options.findLab ?? findCookbookLab,
    log,
  });
  const reconciled = await manager.reconcile();
  log(
    `reconciled: ${reconciled.adopted} adopted, ${reconciled.resumed} resumed, ${reconciled.lost} lost, ${reconciled.orphans} orphans destroyed`,
  );

  const health = async () => {
    const database = await options.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    return { ok: database, details: { driver: options.driverName, database: { reachable: database } } };
  };
  const api = createHttpApi({ manager, secret: options.secret, health, log });
  const terminal = createTerminalSocket({ manager, store, driver: options.driver, secret: options.secret, log });
  const server = createServer((req, res) => void api(req, res));
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
    Promise.all([manager.reap(), driver.reapExpired?.()]).catch((error: unknown) =>
      log(`reaper: ${error instanceof Error ? error.message : String(error)}`),
    );
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
