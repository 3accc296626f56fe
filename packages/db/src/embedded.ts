import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { initdb, postgresBinaries, postgresUser, startPostgres, type PostgresUser } from "./embedded-process";
import { newSecrets, readSecrets, writeSecrets, type EmbeddedSecrets } from "./embedded-secrets";
import { loginRoles, provisionEmbeddedRoles, urlAs, type LoginRole } from "./roles";

export interface EmbeddedServer {
  /** Where the data really is: EMBEDDED_PG_DIR, or a reachable stand-in for it (see embeddedDataDir). */
  dataDir: string;
  /** The 0600 file beside the data directory holding every password of this server. */
  secretsFile: string;
  /** One URL per login role; the superuser's is for provisioning and tests that restart the server. */
  urls: Record<LoginRole | "superuser", string>;
  stop: () => Promise<void>;
}

/** A start-up failure with a message for the person starting the platform (no stack trace needed). */
export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

const superuserName = "postgres";
const asRoot = () => process.getuid?.() === 0;

/**
 * Starts (and on first use initialises) a PostgreSQL server whose binaries come from the
 * npm registry, with its data under `dataDir` and listening on 127.0.0.1 only. Its superuser
 * and the platform's login roles get random passwords on initialisation, kept beside the data
 * directory in `<dataDir>.secrets.json` (mode 0600).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  await assertPortFree(opts.port);
  const dataDir = embeddedDataDir(opts.dataDir, log);
  const secretsFile = `${dataDir}.secrets.json`;
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  let secrets = initialised ? readSecrets(secretsFile) : null;
  if (!secrets) {
    // A directory initialised by an older version has no secrets file: its superuser still has the old password.
    secrets = { ...newSecrets(), ...(initialised ? { resetSuperuser: true } : {}) };
    writeSecrets(secretsFile, secrets);
  }

  const user = postgresUser();
  const binaries = postgresBinaries((dir) => !user || postgresUserCanReach(dir), reachableRoot);
  if (!initialised) await initdb(binaries, dataDir, secrets.superuser, user);
  if (secrets.resetSuperuser) secrets = await resetSuperuser({ binaries, dataDir, port: opts.port, user, log }, secrets, secretsFile);
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"];
  const server = await startPostgres({ binaries, dataDir, port: opts.port, flags, user, log }).catch(async (cause: unknown) => {
    const portTaken = await isPortTaken(opts.port);
    throw new EmbeddedPostgresError(
      portTaken
        ? portTakenMessage(opts.port)
        : `The embedded PostgreSQL in ${dataDir} did not start: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  });
  try {
    const base = `postgres://127.0.0.1:${opts.port}/postgres`;
    const current = secrets;
    const superuserUrl = urlAs(base, superuserName, current.superuser);
    await provisionEmbeddedRoles(superuserUrl, current).catch((error: unknown) => {
      // 28P01: the password in the secrets file is not the server's (the file was replaced or removed).
      if ((error as { code?: string }).code !== "28P01") throw error;
      throw new EmbeddedPostgresError(
        `The superuser password in ${secretsFile} does not open the embedded PostgreSQL in ${dataDir}. ` +
          "Restore that file, or remove both to start with an empty database.",
      );
    });
    const urls = {
      superuser: superuserUrl,
      ...(Object.fromEntries((Object.keys(loginRoles) as LoginRole[]).map((key) => [key, urlAs(base, loginRoles[key], current[key])])) as Record<
        LoginRole,
        string
      >),
    };
    return { dataDir, secretsFile, urls, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Gives the superuser of a directory made by an older version its new password without
 * knowing the old one: the server is started once with no TCP listener, its socket in a
 * directory only the server's user can enter, and an hba file that trusts that socket for the
 * superuser alone; the password is set, the server stopped.
 */
async function resetSuperuser(
  server: { binaries: string; dataDir: string; port: number; user: PostgresUser | null; log: (line: string) => void },
  secrets: EmbeddedSecrets,
  secretsFile: string,
): Promise<EmbeddedSecrets> {
  const socketDir = mkdtempSync(path.join(path.dirname(server.dataDir), ".pg-reset-"));
  const hbaFile = path.join(socketDir, "pg_hba.conf");
  writeFileSync(hbaFile, `local all ${superuserName} trust\n`, { mode: 0o600 });
  if (server.user) {
    chownSync(socketDir, server.user.uid, server.user.gid);
    chownSync(hbaFile, server.user.uid, server.user.gid);
  }
  chmodSync(socketDir, 0o700);
  try {
    const flags = ["-c", "listen_addresses=", "-c", `unix_socket_directories=${socketDir}`, "-c", `hba_file=${hbaFile}`];
    const maintenance = await startPostgres({ ...server, flags });
    try {
      const client = new pg.Client({ host: socketDir, port: server.port, user: superuserName, database: "postgres" });
      await client.connect();
      try {
        await client.query(`ALTER ROLE ${superuserName} WITH PASSWORD ${client.escapeLiteral(secrets.superuser)}`);
      } finally {
        await client.end();
      }
    } finally {
      await maintenance.stop();
    }
  } finally {
    rmSync(socketDir, { recursive: true, force: true });
  }
  const { resetSuperuser: _done, ...reset } = secrets;
  writeSecrets(secretsFile, reset);
  return reset;
}

const portTakenMessage = (port: number) =>
  `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot listen there. ` +
  "Set EMBEDDED_PG_PORT to a free port, stop whatever holds it (another start of the platform?), or set DATABASE_URL to use an external server.";

function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(true));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

/** Checked before anything starts, so a taken port is named instead of surfacing as the library's bare rejection. */
async function assertPortFree(port: number): Promise<void> {
  if (await isPortTaken(port)) throw new EmbeddedPostgresError(portTakenMessage(port));
}

/** Where data directories (and a copy of the binaries) go when the originals are out of the `postgres` user's reach. */
const reachableRoot = "/var/lib/cookbook-labs";

/**
 * As root the server runs as `postgres`, which must traverse every directory above its data
 * directory. A clone in a private directory (mode 700, e.g. under /root or from `mktemp -d`)
 * is out of its reach; the data then goes to /var/lib/cookbook-labs/<hash of its parent
 * directory>/, one per clone, so each clone keeps its own database across restarts.
 */
export function embeddedDataDir(dataDir: string, log: (line: string) => void = () => {}): string {
  const requested = path.resolve(dataDir);
  if (!asRoot()) {
    mkdirSync(path.dirname(requested), { recursive: true });
    return requested;
  }
  ensurePostgresUser();
  mkdirSync(path.dirname(requested), { recursive: true });
  if (postgresUserCanReach(path.dirname(requested))) return requested;
  // Hashed by the parent directory, so a clone's database and its test runs' throw-away ones share one directory.
  const standIn = path.join(reachableRoot, createHash("sha256").update(path.dirname(requested)).digest("hex").slice(0, 16), path.basename(requested));
  mkdirSync(path.dirname(standIn), { recursive: true, mode: 0o755 });
  // mkdir's mode is masked by the umask; postgres needs to traverse both levels.
  chmodSync(reachableRoot, 0o755);
  chmodSync(path.dirname(standIn), 0o755);
  if (!postgresUserCanReach(path.dirname(standIn))) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as the 'postgres' user, which can reach neither ${path.dirname(requested)} nor ${path.dirname(standIn)}. ` +
        "Set EMBEDDED_PG_DIR to a directory it can reach, or set DATABASE_URL to use an external server.",
    );
  }
  log(`the 'postgres' user cannot reach ${path.dirname(requested)}; keeping the embedded PostgreSQL data in ${standIn}`);
  return standIn;
}

/** The same user the library would create on initialisation, created first so its reach can be checked. */
function ensurePostgresUser() {
  try {
    execFileSync("id", ["-u", superuserName], { stdio: "ignore" });
  } catch {
    execFileSync("groupadd", ["-f", superuserName], { stdio: "ignore" });
    execFileSync("useradd", ["-g", superuserName, superuserName], { stdio: "ignore" });
  }
}

function postgresUserCanReach(dir: string): boolean {
  try {
    execFileSync("runuser", ["-u", superuserName, "--", "test", "-x", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
