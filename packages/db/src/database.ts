import { createDatabase, type Database } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { dbEnv } from "./env";
import { runMigrations } from "./migrate";

export interface OpenDatabase {
  /** Signed in as the owner role: migrations, course publication, the demo seed. */
  db: Database;
  /** The URL each process connects with: the owner's, and the web app's and lab-runner's own roles. */
  urls: { owner: string; web: string; labRunner: string };
  embedded: boolean;
  /** Said once at start: where the data is, or which roles the apps will use. */
  description: string;
  close: () => Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded server when it is unset, then applies
 * migrations as the owner role. Called once at start by whichever process owns the database.
 */
export async function openDatabase(log?: (line: string) => void): Promise<OpenDatabase> {
  const env = dbEnv();
  const { server, urls } = await connectionUrls(env, log);
  const { db, pool } = createDatabase(urls.owner, env.DATABASE_POOL_SIZE);
  try {
    await runMigrations(db);
  } catch (error) {
    await pool.end();
    await server?.stop();
    throw error;
  }
  const description = server
    ? `embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT}, data in ${server.dataDir}, passwords in ${server.secretsFile}`
    : `DATABASE_URL; web connects ${env.DATABASE_URL_WEB ? "with DATABASE_URL_WEB" : "as DATABASE_URL's owner role (set DATABASE_URL_WEB)"}, lab-runner ${env.DATABASE_URL_LAB_RUNNER ? "with DATABASE_URL_LAB_RUNNER" : "as DATABASE_URL's owner role (set DATABASE_URL_LAB_RUNNER)"}`;
  return {
    db,
    urls,
    embedded: server !== null,
    description,
    close: async () => {
      await pool.end();
      await server?.stop();
    },
  };
}

async function connectionUrls(env: ReturnType<typeof dbEnv>, log?: (line: string) => void) {
  if (env.DATABASE_URL) {
    const owner = env.DATABASE_URL;
    return { server: null, urls: { owner, web: env.DATABASE_URL_WEB ?? owner, labRunner: env.DATABASE_URL_LAB_RUNNER ?? owner } };
  }
  const server = await startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, log });
  return { server, urls: { owner: server.urls.owner, web: server.urls.web, labRunner: server.urls.labRunner } };
}
