import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../client";
import { startEmbeddedPostgres } from "../embedded";
import { runMigrations } from "../migrate";
import { freePort } from "./free-port";
import "./provided-context";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * Integration tests get a real PostgreSQL: the one in DATABASE_URL when set, otherwise a
 * throw-away embedded server with a fresh data directory, migrated once for the whole run.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  if (external) {
    const { db, pool } = createDatabase(external, 2);
    await runMigrations(db);
    await pool.end();
    project.provide("databaseUrl", external);
    return;
  }
  const dataDir = path.join(repoRoot, ".cache", `pg-test-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const { db, pool } = createDatabase(server.url, 2);
  await runMigrations(db);
  await pool.end();
  project.provide("databaseUrl", server.url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
