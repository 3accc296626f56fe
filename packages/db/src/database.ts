import { createDatabase, type Database } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { dbEnv } from "./env";
import { runMigrations } from "./migrate";

export interface OpenDatabase {
  db: Database;
  url: string;
  embedded: boolean;
  close: () => Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded server when it is unset, then applies
 * migrations. Called once at start by whichever process owns the database connection.
 */
export async function openDatabase(log?: (line: string) => void): Promise<OpenDatabase> {
  const env = dbEnv();
  const server = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, log });
  const url = env.DATABASE_URL ?? server?.url;
  if (!url) throw new Error("No database URL");
  const { db, pool } = createDatabase(url, env.DATABASE_POOL_SIZE);
  await runMigrations(db);
  return {
    db,
    url,
    embedded: server !== null,
    close: async () => {
      await pool.end();
      await server?.stop();
    },
  };
}
