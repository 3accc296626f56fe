import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { recordAttempt } from "./queries/labs";
import { courses, labAttempts, labSandboxes, memberships } from "./schema/index";
import { withTenant } from "./tenant-scope";
import { makeTenant, makeUser, testDatabase } from "./testing/factories";

const owner = testDatabase();
const web = testDatabase("web");
const labRunner = testDatabase("labRunner");
afterAll(() => Promise.all([owner.close(), web.close(), labRunner.close()]));

/** The PostgreSQL error behind drizzle's wrapper (drizzle puts it in `cause`). */
async function failure(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e as Error & { cause?: unknown },
  );
  expect(error, "the statement should have been refused").not.toBeNull();
  return String(error?.cause ?? error);
}

async function aSandbox() {
  const alice = await makeUser(owner.db, "alice");
  const bob = await makeUser(owner.db, "bob");
  const tenant = await makeTenant(owner.db, alice.id);
  await owner.db.insert(memberships).values({ tenantId: tenant.id, userId: bob.id, role: "learner" });
  const [course] = await owner.db
    .insert(courses)
    .values({ slug: `roles-${randomUUID().slice(0, 8)}`, title: "Roles" })
    .returning();
  if (!course) throw new Error("course not created");
  const sandboxId = `roles-${randomUUID().slice(0, 8)}`;
  await owner.db.insert(labSandboxes).values({
    id: sandboxId,
    tenantId: tenant.id,
    userId: alice.id,
    labSlug: "kafka-sensor-readings",
    labVersion: 1,
    seed: "seed",
    driver: "none",
    expiresAt: new Date(Date.now() + 60_000),
  });
  const attempt = (userId: string) => ({
    tenantId: tenant.id,
    userId,
    courseId: course.id,
    lessonKey: "21.5-how-to-produce-and-consume-messages",
    sandboxId,
    labSlug: "kafka-sensor-readings",
    labVersion: 1,
    score: 7,
    maxScore: 7,
    result: { forged: userId !== alice.id },
    createdAt: new Date(),
  });
  return { alice, bob, tenant, sandboxId, attempt };
}

describe("the web app's role", () => {
  it("is a login role without superuser, role-creation or RLS-bypass rights", async () => {
    const [me] = await web.db
      .execute<{ name: string; rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean }>(
        sql`select current_user as name, rolsuper, rolcreaterole, rolbypassrls from pg_roles where rolname = current_user`,
      )
      .then((r) => r.rows);
    expect(me).toEqual({ name: "cookbook_web", rolsuper: false, rolcreaterole: false, rolbypassrls: false });
  });

  it("cannot run programs on the database server with COPY … TO PROGRAM", async () => {
    expect(await failure(web.db.execute(sql.raw("copy (select 1) to program 'id'")))).toMatch(
      /permission denied|must be superuser|pg_execute_server_program/,
    );
  });

  it("cannot read pg_authid (the roles' password hashes)", async () => {
    expect(await failure(web.db.execute(sql`select rolpassword from pg_authid`))).toMatch(/permission denied/);
  });

  it("does not own the schema: it cannot drop or alter the tables it writes", async () => {
    expect(await failure(web.db.execute(sql`alter table users add column x int`))).toMatch(/must be owner/);
    expect(await failure(web.db.execute(sql`drop table lab_attempts`))).toMatch(/must be owner/);
  });

  it("only reads the course catalogue and sandboxes, which others write", async () => {
    expect(await failure(web.db.execute(sql`delete from lessons`))).toMatch(/permission denied/);
    expect(await failure(web.db.execute(sql`update lab_sandboxes set state = 'ended'`))).toMatch(/permission denied/);
  });
});

describe("the tenant role (web requests under row-level security)", () => {
  it("records an attempt for the signed-in user", async () => {
    const { alice, tenant, attempt } = await aSandbox();
    const saved = await withTenant(web.db, { tenantId: tenant.id, userId: alice.id }, (tx) => recordAttempt(tx, attempt(alice.id)));
    expect(saved.userId).toBe(alice.id);
  });

  it("cannot write an attempt for another user of the same organisation", async () => {
    const { alice, bob, tenant, attempt } = await aSandbox();
    // Bob is signed in and forges a full score in Alice's name.
    const message = await failure(
      withTenant(web.db, { tenantId: tenant.id, userId: bob.id }, (tx) => tx.insert(labAttempts).values(attempt(alice.id))),
    );
    expect(message).toMatch(/row-level security/);
    const stored = await owner.db.select().from(labAttempts).where(sql`${labAttempts.tenantId} = ${tenant.id}`);
    expect(stored).toEqual([]);
  });

  it("cannot write any attempt when the scope names no user", async () => {
    const { alice, tenant, attempt } = await aSandbox();
    expect(await failure(withTenant(web.db, tenant.id, (tx) => tx.insert(labAttempts).values(attempt(alice.id))))).toMatch(/row-level security/);
  });

  it("cannot move an attempt to another user afterwards (it has no UPDATE on attempts)", async () => {
    const { alice, bob, tenant, attempt } = await aSandbox();
    await withTenant(web.db, { tenantId: tenant.id, userId: alice.id }, (tx) => recordAttempt(tx, attempt(alice.id)));
    const message = await failure(
      withTenant(web.db, { tenantId: tenant.id, userId: alice.id }, (tx) => tx.update(labAttempts).set({ userId: bob.id })),
    );
    expect(message).toMatch(/permission denied/);
  });
});

describe("lab-runner's role", () => {
  it("is not a superuser", async () => {
    const [me] = await labRunner.db
      .execute<{ name: string; rolsuper: boolean }>(sql`select current_user as name, rolsuper from pg_roles where rolname = current_user`)
      .then((r) => r.rows);
    expect(me).toEqual({ name: "cookbook_lab_runner", rolsuper: false });
  });

  it("cannot read password hashes, sessions or attempts", async () => {
    expect(await failure(labRunner.db.execute(sql`select password_hash from users`))).toMatch(/permission denied/);
    expect(await failure(labRunner.db.execute(sql`select id from users`))).toMatch(/permission denied/);
    expect(await failure(labRunner.db.execute(sql`select id from sessions`))).toMatch(/permission denied/);
    expect(await failure(labRunner.db.execute(sql`insert into lab_attempts (tenant_id) values (gen_random_uuid())`))).toMatch(/permission denied/);
  });

  it("cannot become the tenant role or the owner", async () => {
    expect(await failure(labRunner.db.execute(sql`set role cookbook_tenant`))).toMatch(/permission denied/);
    expect(await failure(labRunner.db.execute(sql`set role cookbook_owner`))).toMatch(/permission denied/);
  });

  it("creates, reads and ends sandboxes (what it does all day)", async () => {
    const { alice, tenant } = await aSandbox();
    const id = `roles-lr-${randomUUID().slice(0, 8)}`;
    await labRunner.db.insert(labSandboxes).values({
      id,
      tenantId: tenant.id,
      userId: alice.id,
      labSlug: "kafka-sensor-readings",
      labVersion: 1,
      seed: "s",
      driver: "none",
      expiresAt: new Date(Date.now() + 60_000),
    });
    const ended = await labRunner.db
      .update(labSandboxes)
      .set({ state: "ended", endedReason: "stopped" })
      .where(sql`${labSandboxes.id} = ${id}`)
      .returning();
    expect(ended.map((row) => row.state)).toEqual(["ended"]);
  });
});
