import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../client";
import { embeddedDataDir, startEmbeddedPostgres } from "../embedded";
import { runMigrations } from "../migrate";
import { freePort } from "./free-port";
import "./provided-context";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * Integration tests get a real PostgreSQL: the one in DATABASE_URL when set (with
 * DATABASE_URL_WEB / DATABASE_URL_LAB_RUNNER for the apps' roles, as in production), otherwise
 * a throw-away embedded server with a fresh data directory, migrated once for the whole run.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  if (external) {
    await migrate(external);
    project.provide("databaseUrl", external);
    project.provide("webDatabaseUrl", process.env.DATABASE_URL_WEB || external);
    project.provide("labRunnerDatabaseUrl", process.env.DATABASE_URL_LAB_RUNNER || external);
    return;
  }
  // The one line worth seeing: where the data went when the clone is out of the server user's reach.
  const log = (line: string) => line.includes("cannot reach") && console.log(`[db] ${line}`);
  const dataDir = embeddedDataDir(path.join(repoRoot, ".cache", `pg-test-${process.pid}`), log);
  // A leftover of a killed run with the same pid would carry another schema: start from nothing.
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
  await migrate(server.urls.owner);
  project.provide("databaseUrl", server.urls.owner);
  project.provide("webDatabaseUrl", server.urls.web);
  project.provide("labRunnerDatabaseUrl", server.urls.labRunner);
  project.provide("superuserDatabaseUrl", server.urls.superuser);
  return async () => {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(server.secretsFile, { force: true });
  };
}

async function migrate(url: string) {
  const { db, pool } = createDatabase(url, 2);
  await runMigrations(db);
  await pool.end();
}
