import { publishEdition } from "@cookbook/db/queries/courses";
import {
  cohortAuditLog,
  cohortExtensions,
  cohortMembers,
  cohorts,
  enrollments,
  memberships,
  scheduleTemplates,
  tenants,
  users,
} from "@cookbook/db/schema";
import { makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { addDays } from "@cookbook/schedule/zoned-time";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithCohorts, weeklyRule } from "../../testing/cohort-fixtures";

/*
 * Red team: hostile but schema-valid inputs, races and leftovers on every cohort procedure.
 * Whatever the input, the answer is a value or a typed 4xx, never INTERNAL_SERVER_ERROR, and a
 * refused change leaves nothing behind.
 */

const { db, pool, as } = await loadApi();
// After loadApi: the route's modules read the database address it sets.
const { GET: calendarGET } = await import("~/app/api/calendar/[token]/route");
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const setup = () => orgWithCohorts({ db, as });
type Api = Awaited<ReturnType<typeof as>>;

/** The call's outcome: its value, or the code of the typed error it answered; a 5xx fails the test. */
async function outcome<T>(call: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    expect(error.code, `${error.code}: ${error.message}`).not.toBe("INTERNAL_SERVER_ERROR");
    return { ok: false, code: error.code, message: error.message };
  }
}

async function expectCode(call: Promise<unknown>, code: string) {
  const result = await outcome(call);
  expect(result.ok ? "ok" : result.code).toBe(code);
}

/** Every read of one cohort, as staff and as its learner: none may fail with a 5xx. */
async function readEverything(staff: Api, learner: Api, cohortId: string) {
  for (const call of [
    () => staff.cohorts.get({ cohortId }),
    () => staff.cohorts.roster({ cohortId }),
    () => staff.cohorts.versionDiff({ cohortId }),
    () => staff.schedules.forCohort({ cohortId }),
    () => staff.extensions.list({ cohortId }),
    () => staff.extensions.auditLog({ cohortId }),
    () => staff.announcements.list({ cohortId }),
    () => staff.cohorts.list(),
    () => learner.cohorts.list(),
    () => learner.week.mine(),
    () => learner.extensions.mine({}),
    () => learner.announcements.mine(),
  ]) {
    const result = await outcome(call() as Promise<unknown>);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }
}

async function feedOf(userId: string, tenantId: string | null) {
  const { url } = await (await as(userId, tenantId)).calendar.resetFeed();
  return () => calendarGET(new Request(url));
}

const many = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("hostile inputs answer values or 4xx, never 5xx", () => {
  it("a cohort starting 2199-12-31, 20 chapters a week, 50 blackouts, close_after 365, overrides 3660 days out and 10 × 365 days of extensions (the most)", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const blackouts = many(50).map((i) => ({ from: addDays("2199-01-01", i * 7), to: addDays("2199-01-01", i * 7 + 2) }));
    const rule: PacingRule = {
      mode: "relative",
      chaptersPerWeek: 20,
      weekday: "tue",
      time: "23:59",
      dueAfterDays: 180,
      skipWeekends: true,
      blackouts,
    };
    const created = await ownerApi.cohorts.create({
      name: `Far ${randomUUID().slice(0, 6)}`,
      courseId: org.courseId,
      startDate: "2199-12-31",
      endDate: "2199-12-31",
      timeZone: "Pacific/Kiritimati",
      seatLimit: 1,
      rule,
      latePolicy: "close_after",
      closeAfterDays: 365,
      instructorIds: [org.teacher.id],
    });
    await ownerApi.cohorts.addMembers({ cohortId: created.id, userIds: [org.outsider.id] });
    await ownerApi.schedules.setOverride({
      cohortId: created.id,
      itemKey: "chapter:2",
      mode: "relative",
      opensDay: 3659,
      opensTime: "23:59",
      dueDay: 3660,
      dueTime: "23:59",
    });
    for (const i of many(10)) {
      const itemKey = i % 2 === 0 ? "chapter:2" : null;
      await ownerApi.extensions.grant({ cohortId: created.id, userId: org.outsider.id, itemKey, days: 365, reason: `Long ${i}` });
    }
    const learnerApi = await org.api(org.outsider);
    await readEverything(ownerApi, learnerApi, created.id);
    const week = await learnerApi.week.mine();
    expect(week).toHaveLength(1);
    const feed = await (await feedOf(org.outsider.id, org.tenant.id))();
    expect(feed.status).toBe(200);
    // 3660 days from the start, then 10 × 365 days of extensions: chapter 2 is due around 2220.
    expect(await feed.text()).toMatch(/DTSTART:22[0-9]{2}/);
  });

  it("a rule whose blackouts cover every opening day for fifty years still computes", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const blackouts = many(50).map((i) => ({ from: addDays("2000-01-01", i * 366), to: addDays("2000-01-01", i * 366 + 365) }));
    await ownerApi.schedules.setRule({ cohortId: org.cohortA.id, rule: { ...weeklyRule, chaptersPerWeek: 20, blackouts } });
    await ownerApi.cohorts.update({ cohortId: org.cohortA.id, startDate: "2000-01-03" });
    await readEverything(ownerApi, await org.api(org.learner), org.cohortA.id);
    const schedule = await ownerApi.schedules.forCohort({ cohortId: org.cohortA.id });
    expect((schedule.items[0]?.opens.date ?? "") >= "2050-01-01").toBe(true);
  });

  it.each(["__proto__", "constructor", "chapter:01", "chapter:1 ", "chapter:1\u200b", "chapter:1e0", "lab:../../etc/passwd", "lab:", "chapter:-1"])(
    "item key %j on a real cohort and learner: refused or a plain answer",
    async (itemKey) => {
      const org = await setup();
      const teacherApi = await org.api(org.teacher);
      const cohortId = org.cohortA.id;
      for (const call of [
        () => teacherApi.extensions.grant({ cohortId, userId: org.learner.id, itemKey, days: 1, reason: "r" }),
        () =>
          teacherApi.schedules.setOverride({
            cohortId,
            itemKey,
            mode: "fixed",
            opensDate: "2026-12-07",
            opensTime: "09:00",
            dueDate: "2026-12-08",
            dueTime: "09:00",
          }),
        () => teacherApi.schedules.clearOverride({ cohortId, itemKey }),
        () => teacherApi.extensions.list({ cohortId, userId: itemKey }),
        () => teacherApi.cohorts.removeMember({ cohortId, userId: itemKey }),
        () => teacherApi.cohorts.addMembers({ cohortId, userIds: [itemKey] }),
      ]) {
        await outcome(call() as Promise<unknown>);
      }
      // " chapter:1 " is chapter:1 once trimmed; nothing else names an item.
      const granted = await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, cohortId));
      expect(granted.map((g) => g.itemKey)).toEqual(itemKey.trim() === "chapter:1" ? ["chapter:1"] : []);
      await readEverything(teacherApi, await org.api(org.learner), cohortId);
    },
  );

  it.each([
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["europe/berlin", "Europe/Berlin"],
    ["  Europe/Berlin ", "Europe/Berlin"],
    ["Etc/GMT-14", "Etc/GMT-14"],
  ])("time zone %j is stored as %j", async (given, stored) => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const made = await teacherApi.cohorts.create({
      name: `Zone ${randomUUID().slice(0, 6)}`,
      courseId: org.courseId,
      startDate: "2026-12-07",
      endDate: "2027-01-31",
      timeZone: given,
      rule: weeklyRule,
    });
    const [row] = await db.select().from(cohorts).where(eq(cohorts.id, made.id));
    expect(row?.timeZone).toBe(stored);
    await teacherApi.cohorts.update({ cohortId: made.id, timeZone: given });
    const [updated] = await db.select().from(cohorts).where(eq(cohorts.id, made.id));
    expect(updated?.timeZone).toBe(stored);
  });

  it.each(["Etc/GMT+14", "+01:00", "Mars/Olympus", "Europe/Berlin/Mitte"])("time zone %j is refused and nothing is written", async (zone) => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const before = await db.select().from(cohorts).where(eq(cohorts.tenantId, org.tenant.id));
    const base = { courseId: org.courseId, startDate: "2026-12-07", endDate: "2027-01-31", rule: weeklyRule };
    await expectCode(teacherApi.cohorts.create({ name: `Zone ${randomUUID().slice(0, 6)}`, ...base, timeZone: zone }), "BAD_REQUEST");
    await expectCode(teacherApi.cohorts.update({ cohortId: org.cohortA.id, timeZone: zone }), "BAD_REQUEST");
    expect(await db.select().from(cohorts).where(eq(cohorts.tenantId, org.tenant.id))).toEqual(before);
  });

  it("a non-canonical zone already stored (written before zones were canonical) still reads and feeds", async () => {
    const org = await setup();
    await db.update(cohorts).set({ timeZone: "europe/berlin" }).where(eq(cohorts.id, org.cohortA.id));
    await readEverything(await org.api(org.owner), await org.api(org.learner), org.cohortA.id);
    expect((await (await feedOf(org.learner.id, org.tenant.id))()).status).toBe(200);
  });
});

describe("extensions add up to at most ten years per item", () => {
  it("grants to 3650 days on an item; the next is refused and writes nothing; a retry of a granted one still answers", async () => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const grant = (itemKey: string | null, days: number, requestId?: string) =>
      teacherApi.extensions.grant({ cohortId: org.cohortA.id, userId: org.learner.id, itemKey, days, reason: "Long.", requestId });
    const last = randomUUID();
    for (const i of many(9)) await grant(i % 2 === 0 ? null : "chapter:1", 365);
    await grant("chapter:2", 365, last);
    // chapter:1 now has 9 × 365 = 3285 days (5 for every item, 4 of its own); chapter:2 has 5 + 1.
    await grant("chapter:1", 365);
    const before = await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, org.cohortA.id));
    const audit = await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, org.cohortA.id));
    await expectCode(grant("chapter:1", 1), "BAD_REQUEST");
    // For every item: chapter:1 is already at the limit.
    await expectCode(grant(null, 1), "BAD_REQUEST");
    expect(await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, org.cohortA.id))).toEqual(before);
    expect(await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, org.cohortA.id))).toEqual(audit);
    // chapter:2 still has room, and the retried grant answers as before.
    expect((await grant("chapter:2", 365, last)).created).toBe(false);
    expect((await grant("chapter:2", 365)).created).toBe(true);
    await readEverything(teacherApi, await org.api(org.learner), org.cohortA.id);
  });
});

describe("races", () => {
  it("seat limit 1: five joins by link and an addMembers at once admit exactly one, the rest hear 'full'", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    await ownerApi.cohorts.update({ cohortId: org.cohortA.id, seatLimit: 1 });
    await ownerApi.cohorts.removeMember({ cohortId: org.cohortA.id, userId: org.learner.id });
    const { code } = await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortA.id, enabled: true });
    if (!code) throw new Error("no code");
    const joiners = await Promise.all(many(5).map(() => makeUser(db, "joiner")));
    const results = await Promise.all([
      ...joiners.map(async (u) => outcome((await as(u.id, null)).cohorts.join({ code }))),
      outcome(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id] })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.code).toBe("BAD_REQUEST");
    expect(await db.select().from(cohortMembers).where(eq(cohortMembers.cohortId, org.cohortA.id))).toHaveLength(1);
  });

  it("the same learner put in two cohorts of one course at once lands in one; the other request is refused, not a 500", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const other = await org.api(org.owner);
    const results = await Promise.all([
      outcome(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id] })),
      outcome(other.cohorts.addMembers({ cohortId: org.cohortB.id, userIds: [org.outsider.id] })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, code: "BAD_REQUEST", message: expect.stringContaining("already in") });
    const placed = await db
      .select()
      .from(cohortMembers)
      .where(and(eq(cohortMembers.tenantId, org.tenant.id), eq(cohortMembers.userId, org.outsider.id)));
    expect(placed).toHaveLength(1);
  });

  it("a join by link and an addMembers into another cohort of the course for the same person at once: one wins, no 500", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const { code } = await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortB.id, enabled: true });
    if (!code) throw new Error("no code");
    const results = await Promise.all([
      outcome((await as(org.outsider.id, null)).cohorts.join({ code })),
      outcome(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id] })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("writes into a cohort while it is deleted, and grants to a learner while they are removed: refused or carried away, never a 500", async () => {
    for (const _ of many(6)) {
      const org = await setup();
      const ownerApi = await org.api(org.owner);
      const teacherApi = await org.api(org.teacher);
      const results = await Promise.all([
        outcome(teacherApi.extensions.grant({ cohortId: org.cohortA.id, userId: org.learner.id, itemKey: null, days: 1, reason: "r" })),
        outcome(ownerApi.cohorts.removeMember({ cohortId: org.cohortA.id, userId: org.learner.id })),
        outcome((await org.api(org.otherTeacher)).announcements.post({ cohortId: org.cohortB.id, title: "t", body: "b" })),
        outcome((await org.api(org.otherTeacher)).schedules.setRule({ cohortId: org.cohortB.id, rule: { ...weeklyRule, time: "10:00" } })),
        outcome((await org.api(org.owner)).cohorts.delete({ cohortId: org.cohortB.id, confirmName: org.cohortB.name })),
      ]);
      for (const r of results) if (!r.ok) expect(r.code).toBe("NOT_FOUND");
      expect(await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, org.cohortA.id))).toEqual([]);
    }
  });

  it("moving the version twice at once moves it once, with one audit entry", async () => {
    const course = tinyCourse("ed-1");
    const org = await orgWithCohorts({ db, as }, course);
    await publishEdition(db, { courseSlug: course.slug, course: tinyCourse("ed-2", "Changed.").course });
    const [v2] = await db.select().from(cohorts).where(eq(cohorts.id, org.cohortA.id));
    const ownerApi = await org.api(org.owner);
    const diff = await ownerApi.cohorts.versionDiff({ cohortId: org.cohortA.id });
    expect(v2 && diff.upToDate).toBe(false);
    const results = await Promise.all([
      outcome(ownerApi.cohorts.moveVersion({ cohortId: org.cohortA.id, versionId: diff.to.id })),
      outcome((await org.api(org.owner)).cohorts.moveVersion({ cohortId: org.cohortA.id, versionId: diff.to.id })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "BAD_REQUEST" });
    const moved = (await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, org.cohortA.id))).filter(
      (e) => e.action === "version.moved",
    );
    expect(moved).toHaveLength(1);
    // And once more in sequence: already on it.
    await expectCode(ownerApi.cohorts.moveVersion({ cohortId: org.cohortA.id, versionId: diff.to.id }), "BAD_REQUEST");
    await expectCode(ownerApi.cohorts.moveVersion({ cohortId: org.cohortA.id, versionId: diff.from.id }), "BAD_REQUEST");
  });
});

describe("leftovers", () => {
  it("removing a learner with extensions takes the extensions with them; revoking one then is NOT_FOUND", async () => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const grant = await teacherApi.extensions.grant({ cohortId: org.cohortA.id, userId: org.learner.id, itemKey: null, days: 3, reason: "Ill." });
    expect(await teacherApi.cohorts.removeMember({ cohortId: org.cohortA.id, userId: org.learner.id })).toEqual({ removed: true });
    expect(await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, org.cohortA.id))).toEqual([]);
    await expectCode(teacherApi.extensions.revoke({ extensionId: grant.id }), "NOT_FOUND");
    // The audit log keeps the grant.
    const actions = (await teacherApi.extensions.auditLog({ cohortId: org.cohortA.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["extension.granted", "member.removed"]));
    await readEverything(teacherApi, await org.api(org.learner), org.cohortA.id);
  });

  it("deleting a cohort made from a template, and then the template, leaves both lists consistent", async () => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const template = await teacherApi.schedules.createTemplate({ name: `T ${randomUUID().slice(0, 6)}`, rule: weeklyRule });
    const made = await teacherApi.cohorts.create({
      name: `From T ${randomUUID().slice(0, 6)}`,
      courseId: org.courseId,
      startDate: "2026-12-07",
      endDate: "2027-01-31",
      timeZone: "UTC",
      templateId: template.id,
    });
    const other = await teacherApi.cohorts.create({
      name: `From T2 ${randomUUID().slice(0, 6)}`,
      courseId: org.courseId,
      startDate: "2026-12-07",
      endDate: "2027-01-31",
      timeZone: "UTC",
      templateId: template.id,
    });
    await teacherApi.cohorts.delete({ cohortId: made.id, confirmName: made.name });
    expect((await teacherApi.schedules.templates()).find((t) => t.id === template.id)?.cohortCount).toBe(1);
    await teacherApi.schedules.deleteTemplate({ templateId: template.id });
    const got = await teacherApi.cohorts.get({ cohortId: other.id });
    expect(got.template).toBeNull();
    await expectCode(teacherApi.schedules.applyTemplate({ cohortId: other.id, templateId: template.id, keepOverrides: true }), "NOT_FOUND");
    expect(await db.select().from(scheduleTemplates).where(eq(scheduleTemplates.id, template.id))).toEqual([]);
  });

  it("refused multi-row changes write nothing", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const snapshot = async () => ({
      cohorts: await db.select().from(cohorts).where(eq(cohorts.tenantId, org.tenant.id)),
      members: await db.select().from(cohortMembers).where(eq(cohortMembers.tenantId, org.tenant.id)),
      enrollments: await db.select().from(enrollments).where(eq(enrollments.tenantId, org.tenant.id)),
      audit: await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.tenantId, org.tenant.id)),
    });
    const before = await snapshot();
    const stranger = await makeUser(db, "stranger");
    // One of them is not a member of the organisation.
    await expectCode(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id, stranger.id] }), "BAD_REQUEST");
    // One of them is in cohort B of the same course.
    await expectCode(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id, org.otherLearner.id] }), "BAD_REQUEST");
    // More than the seats.
    await db.update(cohorts).set({ seatLimit: 2 }).where(eq(cohorts.id, org.cohortA.id));
    const seatsBefore = await snapshot();
    const extra = await org.member("extra", "learner");
    await expectCode(ownerApi.cohorts.addMembers({ cohortId: org.cohortA.id, userIds: [org.outsider.id, extra.id] }), "BAD_REQUEST");
    // A rename with an end date before the start: neither changes.
    await expectCode(ownerApi.cohorts.update({ cohortId: org.cohortA.id, name: "Renamed", endDate: "2026-01-01" }), "BAD_REQUEST");
    // A new cohort with a learner among its instructors.
    await expectCode(
      ownerApi.cohorts.create({
        name: `Bad ${randomUUID().slice(0, 6)}`,
        courseId: org.courseId,
        startDate: "2026-12-07",
        endDate: "2027-01-31",
        timeZone: "UTC",
        rule: weeklyRule,
        instructorIds: [org.teacher.id, org.learner.id],
      }),
      "BAD_REQUEST",
    );
    await expectCode(ownerApi.cohorts.setInstructors({ cohortId: org.cohortA.id, userIds: [org.teacher.id, org.learner.id] }), "BAD_REQUEST");
    expect(await snapshot()).toEqual(seatsBefore);
    expect(seatsBefore.members).toEqual(before.members);
    expect(seatsBefore.enrollments).toEqual(before.enrollments);
  });
});

describe("permission holes", () => {
  it("a learner of the cohort reads none of its staff views and changes nothing", async () => {
    const org = await setup();
    const grant = await (await org.api(org.teacher)).extensions.grant({
      cohortId: org.cohortA.id,
      userId: org.learner.id,
      itemKey: null,
      days: 2,
      reason: "r",
    });
    const post = await (await org.api(org.teacher)).announcements.post({ cohortId: org.cohortA.id, title: "t", body: "b" });
    const learnerApi = await org.api(org.learner);
    const cohortId = org.cohortA.id;
    for (const call of [
      () => learnerApi.cohorts.get({ cohortId }),
      () => learnerApi.cohorts.roster({ cohortId }),
      () => learnerApi.cohorts.inviteLink({ cohortId }),
      () => learnerApi.cohorts.versionDiff({ cohortId }),
      () => learnerApi.cohorts.addMembers({ cohortId, userIds: [org.outsider.id] }),
      () => learnerApi.cohorts.removeMember({ cohortId, userId: org.learner.id }),
      () => learnerApi.cohorts.resetInviteLink({ cohortId, enabled: true }),
      () => learnerApi.schedules.forCohort({ cohortId }),
      () => learnerApi.schedules.setRule({ cohortId, rule: weeklyRule }),
      () => learnerApi.extensions.list({ cohortId }),
      () => learnerApi.extensions.auditLog({ cohortId }),
      () => learnerApi.extensions.grant({ cohortId, userId: org.learner.id, itemKey: null, days: 365, reason: "me" }),
      () => learnerApi.extensions.revoke({ extensionId: grant.id }),
      () => learnerApi.announcements.list({ cohortId }),
      () => learnerApi.announcements.delete({ announcementId: post.id }),
    ]) {
      await expectCode(call() as Promise<unknown>, "NOT_FOUND");
    }
    await expectCode(learnerApi.schedules.templates(), "FORBIDDEN");
    // Their own views show their own things only.
    expect((await learnerApi.extensions.mine({})).map((e) => e.id)).toEqual([grant.id]);
    expect((await learnerApi.announcements.mine()).map((a) => a.id)).toEqual([post.id]);
  });

  it("an instructor who does not teach the cohort reads it but every write is FORBIDDEN and writes nothing", async () => {
    const org = await setup();
    const teacherApi = await org.api(org.teacher);
    const grant = await teacherApi.extensions.grant({ cohortId: org.cohortA.id, userId: org.learner.id, itemKey: null, days: 2, reason: "r" });
    const post = await teacherApi.announcements.post({ cohortId: org.cohortA.id, title: "t", body: "b" });
    const before = await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, org.cohortA.id));
    const notTeaching = await org.api(org.otherTeacher);
    const cohortId = org.cohortA.id;
    await readEverything(notTeaching, await org.api(org.learner), cohortId);
    for (const call of [
      () => notTeaching.cohorts.update({ cohortId, name: "Mine now" }),
      () => notTeaching.cohorts.delete({ cohortId, confirmName: org.cohortA.name }),
      () => notTeaching.cohorts.setInstructors({ cohortId, userIds: [org.otherTeacher.id] }),
      () => notTeaching.cohorts.addMembers({ cohortId, userIds: [org.outsider.id] }),
      () => notTeaching.cohorts.removeMember({ cohortId, userId: org.learner.id }),
      () => notTeaching.cohorts.inviteLink({ cohortId }),
      () => notTeaching.cohorts.resetInviteLink({ cohortId, enabled: false }),
      () => notTeaching.schedules.setRule({ cohortId, rule: { ...weeklyRule, time: "10:00" } }),
      () =>
        notTeaching.schedules.setOverride({
          cohortId,
          itemKey: "chapter:1",
          mode: "fixed",
          opensDate: "2026-12-07",
          opensTime: "09:00",
          dueDate: "2026-12-20",
          dueTime: "09:00",
        }),
      () => notTeaching.schedules.clearOverride({ cohortId, itemKey: "chapter:1" }),
      () => notTeaching.extensions.grant({ cohortId, userId: org.learner.id, itemKey: null, days: 1, reason: "x" }),
      () => notTeaching.extensions.revoke({ extensionId: grant.id }),
      () => notTeaching.announcements.post({ cohortId, title: "t", body: "b" }),
      () => notTeaching.announcements.delete({ announcementId: post.id }),
    ]) {
      await expectCode(call() as Promise<unknown>, "FORBIDDEN");
    }
    expect(await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, org.cohortA.id))).toEqual(before);
    const [row] = await db.select().from(cohorts).where(eq(cohorts.id, cohortId));
    expect(row).toEqual(org.cohortA);
  });

  it("ids of another organisation, with the session in this one, are NOT_FOUND; a learner of cohort B cannot be given time through cohort A", async () => {
    const a = await setup();
    const b = await setup();
    const bTeacher = await b.api(b.teacher);
    const bGrant = await bTeacher.extensions.grant({ cohortId: b.cohortA.id, userId: b.learner.id, itemKey: null, days: 2, reason: "r" });
    const bPost = await bTeacher.announcements.post({ cohortId: b.cohortA.id, title: "t", body: "b" });
    const ownerA = await a.api(a.owner);
    await expectCode(ownerA.extensions.revoke({ extensionId: bGrant.id }), "NOT_FOUND");
    await expectCode(ownerA.announcements.delete({ announcementId: bPost.id }), "NOT_FOUND");
    await expectCode(ownerA.cohorts.get({ cohortId: b.cohortA.id }), "NOT_FOUND");
    await expectCode(ownerA.extensions.grant({ cohortId: a.cohortA.id, userId: b.learner.id, itemKey: null, days: 1, reason: "x" }), "NOT_FOUND");
    await expectCode(
      ownerA.extensions.grant({ cohortId: a.cohortA.id, userId: a.otherLearner.id, itemKey: null, days: 1, reason: "x" }),
      "NOT_FOUND",
    );
    await expectCode(ownerA.cohorts.addMembers({ cohortId: a.cohortA.id, userIds: [b.learner.id] }), "BAD_REQUEST");
    await expectCode(ownerA.cohorts.setInstructors({ cohortId: a.cohortA.id, userIds: [b.teacher.id] }), "BAD_REQUEST");
    await expectCode(
      ownerA.cohorts.create({ name: "x x", courseId: b.courseId, startDate: "2026-12-07", endDate: "2026-12-07", timeZone: "UTC", rule: weeklyRule }),
      "NOT_FOUND",
    );
    // A session whose active organisation is B cannot act in A by a user of A who is not in B.
    await expectCode((await as(a.owner.id, b.tenant.id)).cohorts.list(), "FORBIDDEN");
    expect((await db.select().from(cohortExtensions).where(eq(cohortExtensions.id, bGrant.id)))[0]?.revokedAt).toBeNull();
  });

  it("the join code of a disabled link, a reset link, a deleted cohort or a deleted organisation is NOT_FOUND", async () => {
    const org = await setup();
    const ownerApi = await org.api(org.owner);
    const joiner = await as((await makeUser(db, "joiner")).id, null);
    const first = (await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortA.id, enabled: true })).code as string;
    const second = (await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortA.id, enabled: true })).code as string;
    await expectCode(joiner.cohorts.previewJoin({ code: first }), "NOT_FOUND");
    await expectCode(joiner.cohorts.join({ code: first }), "NOT_FOUND");
    await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortA.id, enabled: false });
    await expectCode(joiner.cohorts.join({ code: second }), "NOT_FOUND");
    const b = (await ownerApi.cohorts.resetInviteLink({ cohortId: org.cohortB.id, enabled: true })).code as string;
    await ownerApi.cohorts.delete({ cohortId: org.cohortB.id, confirmName: org.cohortB.name });
    await expectCode(joiner.cohorts.join({ code: b }), "NOT_FOUND");

    const other = await setup();
    const code = (await (await other.api(other.owner)).cohorts.resetInviteLink({ cohortId: other.cohortA.id, enabled: true })).code as string;
    await db.delete(tenants).where(eq(tenants.id, other.tenant.id));
    await expectCode(joiner.cohorts.previewJoin({ code }), "NOT_FOUND");
    await expectCode(joiner.cohorts.join({ code }), "NOT_FOUND");
  });
});

describe("calendar feed of people who left", () => {
  it("cohorts in two organisations, one deleted: the feed has the other's events", async () => {
    const a = await setup();
    const b = await setup();
    const person = a.learner;
    await db.insert(memberships).values({ tenantId: b.tenant.id, userId: person.id, role: "learner" });
    await (await b.api(b.owner)).cohorts.addMembers({ cohortId: b.cohortA.id, userIds: [person.id] });
    const feed = await feedOf(person.id, a.tenant.id);
    const both = await (await feed()).text();
    expect(both.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    await db.delete(tenants).where(eq(tenants.id, b.tenant.id));
    const response = await feed();
    expect(response.status).toBe(200);
    expect((await response.text()).match(/BEGIN:VEVENT/g)).toHaveLength(2);
  });

  it("a learner removed from the organisation keeps a working, empty feed; a deleted account's address is unknown", async () => {
    const org = await setup();
    const feed = await feedOf(org.learner.id, org.tenant.id);
    await db.delete(memberships).where(and(eq(memberships.tenantId, org.tenant.id), eq(memberships.userId, org.learner.id)));
    const response = await feed();
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain("BEGIN:VEVENT");

    const leaver = org.otherLearner;
    const leaverFeed = await feedOf(leaver.id, org.tenant.id);
    await db.delete(users).where(eq(users.id, leaver.id));
    expect((await leaverFeed()).status).toBe(404);
    await readEverything(await org.api(org.owner), await org.api(org.outsider), org.cohortB.id);
  });
});
