import { publishEdition } from "@cookbook/db/queries/courses";
import { createUser } from "@cookbook/db/queries/users";
import {
  calendarFeeds,
  cohortAnnouncements,
  cohortAuditLog,
  cohortExtensions,
  cohortInstructors,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  labAttempts,
  labHintReveals,
  labSandboxes,
  lessonCompletions,
  memberships,
  scheduleTemplates,
  tenantCourses,
} from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/server/auth/password";
import { now } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { weeklyRule } from "../../testing/cohort-fixtures";

// lab-runner is not started: the default URL reaches nothing, as when lab-runner is down.
const { db, pool, as } = await loadApi();
afterAll(() => pool.end());

const password = "correct horse battery staple";
let passwordHash: string;
let courseId: string;
let versionId: string;
const course = tinyCourse();

beforeAll(async () => {
  passwordHash = await hashPassword(password);
  const edition = await publishEdition(db, { courseSlug: course.slug, course: course.course });
  courseId = edition.course.id;
  versionId = edition.version.id;
});

async function personWithPassword(name: string) {
  const id = randomUUID();
  await createUser(db, { id, email: `${name}-${id.slice(0, 8)}@example.test`, displayName: `${name} ${id.slice(0, 4)}`, passwordHash });
  return { id };
}

/**
 * A member's footprint in a tenant: enrollment, a completed lesson (and its learning event), a
 * running sandbox, an attempt, a cohort of their own (template, override, announcement, audit
 * entry) that they teach and learn in with an extension, and a calendar feed (per user, not per tenant).
 */
async function footprint(tenantId: string, userId: string, role: "owner" | "instructor" | "learner" = "learner") {
  await db.insert(memberships).values({ tenantId, userId, role }).onConflictDoNothing();
  await db.insert(tenantCourses).values({ tenantId, courseId, enabledBy: userId }).onConflictDoNothing();
  const api = await as(userId, tenantId);
  await api.courses.enroll({ courseId });
  await api.courses.setLessonComplete({ courseId, lessonKey: "1.1-hello", complete: true });
  const sandboxId = `sb-dr-${randomUUID().slice(0, 12)}`;
  await db.insert(labSandboxes).values({
    id: sandboxId,
    tenantId,
    userId,
    labSlug: "kafka-sensor-readings",
    labVersion: 1,
    seed: `secret-seed-${sandboxId}`,
    driver: "local",
    state: "running",
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const [attempt] = await db
    .insert(labAttempts)
    .values({
      tenantId,
      userId,
      courseId,
      lessonKey: "1.1-hello",
      sandboxId,
      labSlug: "kafka-sensor-readings",
      labVersion: 1,
      score: 2,
      maxScore: 8,
      result: {},
    })
    .returning();
  if (!attempt) throw new Error("no attempt");
  await db.insert(labHintReveals).values({ tenantId, attemptId: attempt.id, stepId: "create-topic", hintIndex: 0, revealedAt: now() });
  const cohort = await cohortOf(tenantId, userId);
  const { url: calendarUrl } = await api.calendar.resetFeed();
  return { sandboxId, ...cohort, calendarUrl };
}

/**
 * A cohort of the course with one of each cohort row, written straight to the database (the
 * procedures would need a staff member of the organisation as the actor; what is tested here is
 * where the rows go, not how they were made). The user is its instructor and its learner.
 */
async function cohortOf(tenantId: string, userId: string) {
  const name = `Cohort ${randomUUID().slice(0, 8)}`;
  const inviteCode = `invite-secret-${randomUUID()}`;
  const [template] = await db
    .insert(scheduleTemplates)
    .values({ tenantId, name: `Weekly ${name}`, rule: weeklyRule, createdBy: userId })
    .returning();
  const [cohort] = await db
    .insert(cohorts)
    .values({
      tenantId,
      courseId,
      courseVersionId: versionId,
      name,
      startDate: "2026-12-07",
      endDate: "2027-01-31",
      timeZone: "Europe/Berlin",
      rule: weeklyRule,
      templateId: template?.id,
      templateRevision: template?.revision,
      inviteCode,
      createdBy: userId,
    })
    .returning();
  if (!cohort) throw new Error("no cohort");
  await db.insert(cohortInstructors).values({ tenantId, cohortId: cohort.id, userId });
  await db.insert(cohortMembers).values({ tenantId, cohortId: cohort.id, courseId, userId, enrolledAt: new Date("2026-12-01T10:00:00Z") });
  await db
    .insert(cohortScheduleOverrides)
    .values({ tenantId, cohortId: cohort.id, itemKey: "chapter:1", opensDay: 0, opensTime: "09:00", dueDay: 6, dueTime: "17:00", updatedBy: userId });
  const [extension] = await db
    .insert(cohortExtensions)
    .values({ tenantId, cohortId: cohort.id, userId, itemKey: "chapter:1", days: 3, reason: `Flu ${name}`, grantedBy: userId })
    .returning();
  if (!extension) throw new Error("no extension");
  await db.insert(cohortAnnouncements).values({ tenantId, cohortId: cohort.id, authorId: userId, title: "Welcome", body: `Welcome to ${name}` });
  await db.insert(cohortAuditLog).values({
    tenantId,
    cohortId: cohort.id,
    actorId: userId,
    action: "extension.granted",
    detail: { extensionId: extension.id },
    createdAt: now(),
  });
  return { cohortId: cohort.id, cohortName: name, inviteCode, extensionId: extension.id };
}

/** The calendar feed's stored token hash: an export must never contain it. */
async function feedTokenHash(userId: string) {
  const [feed] = await db.select({ tokenHash: calendarFeeds.tokenHash }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  if (!feed) throw new Error("no calendar feed");
  return feed.tokenHash;
}

/** Every table with the column, found in the catalogue: a table added later is counted too. */
async function tablesWith(column: string) {
  const rows = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = ${column} order by table_name`,
  );
  return rows.rows.map((r) => r.table_name);
}

async function rowsPer(column: string, value: string) {
  const counts: Record<string, number> = {};
  for (const table of await tablesWith(column)) {
    const result = await db.execute<{ n: number }>(
      // As text: the column is a uuid in most tables, a bigint in learning_events, text in users.
      sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)}::text = ${value}`,
    );
    counts[table] = result.rows[0]?.n ?? -1;
  }
  return counts;
}

describe("a user's own data", () => {
  it("exports their profile, memberships, progress, enrollments, lab work and sessions, and nothing secret or of others", async () => {
    const me = await personWithPassword("exporter");
    const other = await makeUser(db, "classmate");
    const tenant = await makeTenant(db, other.id);
    const mine = await footprint(tenant.id, me.id);
    const { sandboxId } = mine;
    const theirs = await footprint(tenant.id, other.id, "owner");
    const api = await as(me.id, tenant.id);
    const data = await api.account.export();
    expect(data.profile.id).toBe(me.id);
    expect(data.memberships).toEqual([expect.objectContaining({ tenantId: tenant.id, role: "learner" })]);
    expect(data.enrollments).toEqual([expect.objectContaining({ tenantId: tenant.id, course: course.slug })]);
    expect(data.progress).toEqual([expect.objectContaining({ lessonKey: "1.1-hello" })]);
    expect(data.labSandboxes).toEqual([expect.objectContaining({ id: sandboxId, state: "running" })]);
    expect(data.labAttempts).toEqual([expect.objectContaining({ sandboxId, score: 2, maxScore: 8 })]);
    expect(data.labHintReveals).toEqual([expect.objectContaining({ tenantId: tenant.id, stepId: "create-topic", hintIndex: 0 })]);
    expect(data.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(data.cohortMemberships).toEqual([
      {
        tenantId: tenant.id,
        organisation: tenant.name,
        cohortId: mine.cohortId,
        cohort: mine.cohortName,
        course: course.slug,
        enrolledAt: expect.any(Date),
      },
    ]);
    expect(data.cohortsTaught).toEqual([expect.objectContaining({ cohortId: mine.cohortId, cohort: mine.cohortName, course: course.slug })]);
    expect(data.extensions).toEqual([
      {
        tenantId: tenant.id,
        organisation: tenant.name,
        id: mine.extensionId,
        cohortId: mine.cohortId,
        cohort: mine.cohortName,
        itemKey: "chapter:1",
        days: 3,
        reason: `Flu ${mine.cohortName}`,
        createdAt: expect.any(Date),
        revokedAt: null,
      },
    ]);
    expect(data.calendarFeed).toEqual({ createdAt: expect.any(Date) });
    const text = JSON.stringify(data);
    const secrets = [passwordHash, "passwordHash", "secret-seed", other.id, theirs.sandboxId, theirs.cohortName, theirs.extensionId];
    const calendarToken =
      new URL(mine.calendarUrl).pathname
        .split("/")
        .at(-1)
        ?.replace(/\.ics$/, "") ?? "";
    expect(calendarToken.length).toBeGreaterThan(16);
    for (const secret of [...secrets, mine.inviteCode, "inviteCode", "tokenHash", await feedTokenHash(me.id), calendarToken]) {
      expect(text).not.toContain(secret);
    }
    const [session] = await db.execute<{ id: string }>(sql`select id from sessions where user_id = ${me.id}`).then((r) => r.rows);
    expect(text).not.toContain(session?.id);
  });

  it("deletes the account only with the password, and removes every row of theirs (lab-runner down: still deleted)", async () => {
    const me = await personWithPassword("leaver");
    const owner = await makeUser(db, "owner");
    const tenant = await makeTenant(db, owner.id);
    await footprint(tenant.id, me.id, "instructor");
    const request = await as(me.id, tenant.id);
    const before = await rowsPer("user_id", me.id);
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
    await expect(request.account.delete({ password: "not my password" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await rowsPer("user_id", me.id)).toEqual(before);

    const result = await request.account.delete({ password });
    expect(result).toEqual({ deletedOrganisations: [], sandboxesLeftToReaper: 1 });
    const after = await rowsPer("user_id", me.id);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await rowsPer("id", me.id)).toMatchObject({ users: 0 });
    // The course they enabled stays enabled for the organisation.
    const [enabled] = await db.select().from(tenantCourses).where(eq(tenantCourses.tenantId, tenant.id));
    expect(enabled?.enabledBy).toBeNull();
    // Their progress no longer shows in the organisation's dashboard.
    const progress = await (await as(owner.id, tenant.id)).courses.progress({ courseId });
    expect(JSON.stringify(progress)).not.toContain(me.id);
    // The same request again: no session any more, a clean refusal.
    await expect(request.account.delete({ password })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(request.account.export()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("counts wrong passwords on deletion like sign-ins: after 5 the right one is refused too, and nothing is deleted", async () => {
    const me = await personWithPassword("guessed");
    const owner = await makeUser(db, "owner");
    const tenant = await makeTenant(db, owner.id);
    const request = await as(me.id, tenant.id);
    for (let i = 0; i < 5; i++) {
      await expect(request.account.delete({ password: `guess number ${i}` })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(request.account.delete({ password })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await rowsPer("id", me.id)).toMatchObject({ users: 1 });
  });

  it("the last owner of an organisation with members must hand it over first; an organisation of one goes with them", async () => {
    const me = await personWithPassword("founder");
    const shared = await makeTenant(db, me.id);
    const solo = await makeTenant(db, me.id);
    const colleague = await makeUser(db, "colleague");
    await db.insert(memberships).values({ tenantId: shared.id, userId: colleague.id, role: "learner" });
    const api = await as(me.id, shared.id);
    await expect(api.account.delete({ password })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(shared.name),
    });
    expect(await rowsPer("user_id", me.id)).toMatchObject({ memberships: 2 });

    await api.orgs.changeRole({ userId: colleague.id, role: "owner" });
    expect(await (await as(me.id, shared.id)).account.delete({ password })).toEqual({ deletedOrganisations: [solo.name], sandboxesLeftToReaper: 0 });
    expect(Object.values(await rowsPer("tenant_id", solo.id)).every((n) => n === 0)).toBe(true);
    expect(await rowsPer("tenant_id", shared.id)).toMatchObject({ memberships: 1 });
  });

  it("two deletions at once: one deletes, the other is refused cleanly", async () => {
    const me = await personWithPassword("twice");
    const results = await Promise.allSettled([
      (await as(me.id, null)).account.delete({ password }),
      (await as(me.id, null)).account.delete({ password }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it.each([{}, { password: "" }, { password: "x".repeat(257) }, { password: 42 }])("refuses %j as a bad request", async (input) => {
    const me = await personWithPassword("malformed");
    await expect((await as(me.id, null)).account.delete(input as { password: string })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("an organisation's data", () => {
  async function twoTenants() {
    const footprints: Awaited<ReturnType<typeof footprint>>[] = [];
    const ownerA = await makeUser(db, "owner-a");
    const ownerB = await makeUser(db, "owner-b");
    const tenantA = await makeTenant(db, ownerA.id);
    const tenantB = await makeTenant(db, ownerB.id);
    const learnerA = await makeUser(db, "learner-a");
    const learnerB = await makeUser(db, "learner-b");
    // The same learner is in both: deleting B must leave their A rows alone.
    const both = await makeUser(db, "both");
    for (const [tenant, learner] of [
      [tenantA, learnerA],
      [tenantB, learnerB],
      [tenantA, both],
      [tenantB, both],
    ] as const)
      footprints.push(await footprint(tenant.id, learner.id));
    for (const [tenant, owner] of [
      [tenantA, ownerA],
      [tenantB, ownerB],
    ] as const)
      await (await as(owner.id, tenant.id)).orgs.createInvitation({ role: "learner" });
    return { ownerA, ownerB, tenantA, tenantB, learnerB, both, footprints };
  }

  it("exports members, invitations, enrollments, progress and lab work of that organisation only, for owners only", async () => {
    const { ownerB, tenantA, tenantB, learnerB, both, footprints } = await twoTenants();
    const [, ofLearnerB, , ofBothInB] = footprints;
    if (!ofLearnerB || !ofBothInB) throw new Error("no footprints");
    const data = await (await as(ownerB.id, tenantB.id)).orgs.export();
    expect(data.organisation.id).toBe(tenantB.id);
    expect(data.members.map((m) => m.userId).sort()).toEqual([ownerB.id, learnerB.id, both.id].sort());
    expect(data.invitations).toHaveLength(1);
    expect(data.enrollments).toHaveLength(2);
    expect(data.progress).toHaveLength(2);
    expect(data.labSandboxes).toHaveLength(2);
    expect(data.labAttempts).toHaveLength(2);
    expect(data.labHintReveals).toHaveLength(2);
    const ours = [ofLearnerB, ofBothInB];
    expect(data.cohorts.map((c) => c.name).sort()).toEqual(ours.map((f) => f.cohortName).sort());
    expect(data.cohorts[0]).toMatchObject({ course: course.slug, timeZone: "Europe/Berlin", templateId: expect.any(String) });
    expect(data.scheduleTemplates).toHaveLength(2);
    expect(data.cohortInstructors.map((i) => i.userId).sort()).toEqual([learnerB.id, both.id].sort());
    expect(data.cohortMembers.map((m) => [m.cohortId, m.userId]).sort()).toEqual(
      [
        [ofLearnerB.cohortId, learnerB.id],
        [ofBothInB.cohortId, both.id],
      ].sort(),
    );
    expect(data.scheduleOverrides.map((o) => `${o.cohortId} ${o.itemKey}`).sort()).toEqual(ours.map((f) => `${f.cohortId} chapter:1`).sort());
    expect(data.cohortExtensions.map((e) => e.id).sort()).toEqual(ours.map((f) => f.extensionId).sort());
    expect(data.cohortExtensions[0]).toMatchObject({ days: 3, revokedAt: null, grantedBy: expect.any(String) });
    expect(data.cohortAnnouncements).toHaveLength(2);
    expect(data.cohortAuditLog.map((a) => a.action)).toEqual(["extension.granted", "extension.granted"]);
    const text = JSON.stringify(data);
    const invitationCodes = footprints.map((f) => f.inviteCode);
    const ofTenantA = footprints.filter((f) => !ours.includes(f)).flatMap((f) => [f.cohortId, f.cohortName, f.extensionId]);
    for (const secret of [tenantA.id, "tokenHash", "token_hash", "secret-seed", "passwordHash", "inviteCode", ...invitationCodes, ...ofTenantA]) {
      expect(text).not.toContain(secret);
    }
    await expect((await as(learnerB.id, tenantB.id)).orgs.export()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("deletes every row of the organisation in every tenant table, and nothing of the other", async () => {
    const { ownerB, tenantA, tenantB, learnerB } = await twoTenants();
    const tables = await tablesWith("tenant_id");
    expect(tables).toEqual(
      expect.arrayContaining(["memberships", "invitations", "tenant_courses", "enrollments", "lesson_completions", "lab_sandboxes", "lab_attempts"]),
    );
    const beforeA = await rowsPer("tenant_id", tenantA.id);
    const beforeB = await rowsPer("tenant_id", tenantB.id);
    for (const table of tables) expect(beforeB[table], table).toBeGreaterThan(0);

    const api = await as(ownerB.id, tenantB.id);
    await expect(api.orgs.delete({ tenantId: tenantB.id, confirmName: "not its name" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect((await as(learnerB.id, tenantB.id)).orgs.delete({ tenantId: tenantB.id, confirmName: tenantB.name })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await rowsPer("tenant_id", tenantB.id)).toEqual(beforeB);

    // A double click: both requests race; one deletes, the other finds nothing.
    const results = await Promise.allSettled([
      api.orgs.delete({ tenantId: tenantB.id, confirmName: tenantB.name }),
      api.orgs.delete({ tenantId: tenantB.id, confirmName: tenantB.name }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "NOT_FOUND" });

    const afterB = await rowsPer("tenant_id", tenantB.id);
    for (const table of tables) expect(afterB[table], table).toBe(0);
    expect(await rowsPer("id", tenantB.id)).toMatchObject({ tenants: 0 });
    expect(await rowsPer("tenant_id", tenantA.id)).toEqual(beforeA);
    // The session that had it open goes back to choosing an organisation.
    await expect((await as(ownerB.id, tenantB.id)).orgs.delete({ tenantId: tenantB.id, confirmName: tenantB.name })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect((await as(learnerB.id, tenantB.id)).orgs.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.select().from(lessonCompletions).where(eq(lessonCompletions.userId, learnerB.id))).toEqual([]);
  });
});
