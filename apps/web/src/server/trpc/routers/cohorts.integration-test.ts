import { publishEdition } from "@cookbook/db/queries/courses";
import {
  cohortAuditLog,
  cohortInstructors,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  enrollments,
  memberships,
  scheduleTemplates,
} from "@cookbook/db/schema";
import { makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithStaff } from "../../testing/cohort-fixtures";

const { db, pool, as, session } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const rule: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 6, skipWeekends: false, blackouts: [] };
const dates = { startDate: "2026-12-07", endDate: "2027-01-31", timeZone: "Europe/Berlin" };
const uniqueName = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

/** orgWithStaff, and `cohort` makes a cohort of its course through the API as `by` (the teacher unless said otherwise). */
async function org() {
  const base = await orgWithStaff({ db, as });
  const cohort = async (extra: { seatLimit?: number | null; by?: { id: string } } = {}) => {
    const created = await (await base.api(extra.by ?? base.teacher)).cohorts.create({
      name: uniqueName("Cohort"),
      courseId: base.courseId,
      ...dates,
      seatLimit: extra.seatLimit ?? null,
      rule,
      latePolicy: "accept_late",
    });
    const [row] = await db.select().from(cohorts).where(eq(cohorts.id, created.id));
    if (!row) throw new Error("cohort not stored");
    return row;
  };
  return { ...base, cohort };
}

const cohortsOf = (tenantId: string) => db.select().from(cohorts).where(eq(cohorts.tenantId, tenantId));
const membersOf = async (cohortId: string) =>
  (await db.select({ userId: cohortMembers.userId }).from(cohortMembers).where(eq(cohortMembers.cohortId, cohortId))).map((m) => m.userId).sort();
const auditOf = (cohortId: string) => db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, cohortId));
const membershipOf = async (tenantId: string, userId: string) =>
  (
    await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
  )[0]?.role ?? null;
const outsider = () => makeUser(db, "outsider");
const codeOf = (cohort: { inviteCode: string | null }) => {
  if (!cohort.inviteCode) throw new Error("the cohort's link is off");
  return cohort.inviteCode;
};

describe("creating cohorts", () => {
  it("an instructor creates one on the course's current version, teaches it, and it is in the audit log", async () => {
    const o = await org();
    const at = new Date("2026-11-20T08:00:00Z");
    setClock(() => at);
    const cohort = await o.cohort({ seatLimit: 20 });
    expect(cohort).toMatchObject({ courseVersionId: o.published.version.id, seatLimit: 20, rule, templateId: null, latePolicy: "accept_late" });
    expect(cohort.inviteCode).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await db.select({ userId: cohortInstructors.userId }).from(cohortInstructors).where(eq(cohortInstructors.cohortId, cohort.id))).toEqual([
      { userId: o.teacher.id },
    ]);
    expect(await auditOf(cohort.id)).toMatchObject([{ action: "cohort.created", actorId: o.teacher.id, createdAt: at }]);

    const listed = await (await o.api(o.otherTeacher)).cohorts.list();
    expect(listed.staff).toBe(true);
    expect(listed.cohorts).toEqual([
      expect.objectContaining({
        id: cohort.id,
        courseTitle: "Tiny Course",
        ...dates,
        seatLimit: 20,
        memberCount: 0,
        instructors: [{ userId: o.teacher.id, displayName: expect.stringMatching(/^teacher /) }],
      }),
    ]);
    const got = await (await o.api(o.otherTeacher)).cohorts.get({ cohortId: cohort.id });
    expect(got).toMatchObject({
      name: cohort.name,
      version: { id: o.published.version.id, edition: "test-1" },
      newerVersion: null,
      template: null,
      templateChanged: false,
      canManage: false,
      memberCount: 0,
    });
  });

  it("from a template: the cohort keeps the template and its revision, and sees when the template changed", async () => {
    const o = await org();
    const [template] = await db
      .insert(scheduleTemplates)
      .values({ tenantId: o.tenant.id, name: "Weekly", rule: { ...rule, weekday: "tue" }, revision: 2 })
      .returning();
    if (!template) throw new Error("no template");
    const ownerApi = await o.api(o.owner);
    const created = await ownerApi.cohorts.create({
      name: uniqueName("Templated"),
      courseId: o.published.course.id,
      ...dates,
      templateId: template.id,
      latePolicy: "close_after",
      closeAfterDays: 3,
      instructorIds: [o.teacher.id, o.otherTeacher.id],
    });
    const [row] = await db.select().from(cohorts).where(eq(cohorts.id, created.id));
    expect(row).toMatchObject({ templateId: template.id, templateRevision: 2, rule: { ...rule, weekday: "tue" }, closeAfterDays: 3 });
    expect((await ownerApi.cohorts.get({ cohortId: created.id })).template).toEqual({ id: template.id, name: "Weekly", revision: 2 });
    await db.update(scheduleTemplates).set({ revision: 3 }).where(eq(scheduleTemplates.id, template.id));
    expect(await ownerApi.cohorts.get({ cohortId: created.id })).toMatchObject({ templateChanged: true, canManage: true });
    expect((await ownerApi.cohorts.get({ cohortId: created.id })).instructors.map((i) => i.userId).sort()).toEqual(
      [o.teacher.id, o.otherTeacher.id].sort(),
    );
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const o = await org();
    const api = await o.api(o.teacher);
    const base = { name: uniqueName("Bad"), courseId: o.published.course.id, ...dates, rule, latePolicy: "accept_late" as const };
    await expect(api.cohorts.create({ ...base, startDate: "2027-02-01", endDate: "2027-01-31" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("The end date must be on or after the start date."),
    });
    await expect(api.cohorts.create({ ...base, timeZone: "Mars/Olympus_Mons" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Unknown time zone"),
    });
    await expect(api.cohorts.create({ ...base, latePolicy: "close_after" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("after how many days"),
    });
    await expect(api.cohorts.create({ ...base, instructorIds: [o.learner.id, o.teacher.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("instructor or owner of the organisation"),
    });
    await expect(api.cohorts.create({ ...base, instructorIds: [o.otherTeacher.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await cohortsOf(o.tenant.id)).toEqual([]);

    await api.cohorts.create(base);
    await expect(api.cohorts.create({ ...base, startDate: "2027-01-04" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`already has a cohort called "${base.name}"`),
    });
    expect(await cohortsOf(o.tenant.id)).toHaveLength(1);
    await expect((await o.api(o.learner)).cohorts.create({ ...base, name: uniqueName("Mine") })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("changing cohorts", () => {
  it("a seat limit below the roster, or dates out of order, are refused and change nothing", async () => {
    const o = await org();
    const cohort = await o.cohort({ seatLimit: 5 });
    const api = await o.api(o.teacher);
    await api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.learner.id, o.otherLearner.id] });
    await expect(api.cohorts.update({ cohortId: cohort.id, seatLimit: 1, name: uniqueName("Renamed") })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `${cohort.name} already has 2 learners: the seat limit cannot be lower than that.`,
    });
    await expect(api.cohorts.update({ cohortId: cohort.id, endDate: "2026-12-06" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The end date must be on or after the start date.",
    });
    await expect(api.cohorts.update({ cohortId: cohort.id, timeZone: "Europe/Atlantis" })).rejects.toMatchObject({
      message: expect.stringContaining("Unknown time zone"),
    });
    const [unchanged] = await db.select().from(cohorts).where(eq(cohorts.id, cohort.id));
    expect(unchanged).toEqual(cohort);

    const taken = await o.cohort();
    await expect(api.cohorts.update({ cohortId: cohort.id, name: taken.name })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`already has a cohort called "${taken.name}"`),
    });
    await api.cohorts.update({ cohortId: cohort.id, seatLimit: 2, endDate: "2027-02-28", latePolicy: "close_after", closeAfterDays: 2 });
    await api.cohorts.update({ cohortId: cohort.id, seatLimit: null });
    const [changed] = await db.select().from(cohorts).where(eq(cohorts.id, cohort.id));
    expect(changed).toMatchObject({ seatLimit: null, endDate: "2027-02-28", latePolicy: "close_after", closeAfterDays: 2 });
    expect((await auditOf(cohort.id)).map((e) => e.action).sort()).toEqual(["cohort.created", "cohort.updated", "cohort.updated", "members.added"]);
  });

  it("an instructor of cohort A can read cohort B but not change it; an owner or one of B's instructors can", async () => {
    const o = await org();
    const cohortA = await o.cohort();
    const cohortB = await o.cohort({ by: o.otherTeacher });
    const teacherApi = await o.api(o.teacher);
    expect((await teacherApi.cohorts.get({ cohortId: cohortB.id })).canManage).toBe(false);
    expect(await teacherApi.cohorts.roster({ cohortId: cohortB.id })).toEqual([]);
    const forbidden = { code: "FORBIDDEN", message: `Only ${cohortB.name}'s instructors or an owner can change it.` };
    await expect(teacherApi.cohorts.update({ cohortId: cohortB.id, name: uniqueName("Taken") })).rejects.toMatchObject(forbidden);
    await expect(teacherApi.cohorts.addMembers({ cohortId: cohortB.id, userIds: [o.learner.id] })).rejects.toMatchObject(forbidden);
    await expect(teacherApi.cohorts.setInstructors({ cohortId: cohortB.id, userIds: [o.teacher.id] })).rejects.toMatchObject(forbidden);
    await expect(teacherApi.cohorts.inviteLink({ cohortId: cohortB.id })).rejects.toMatchObject(forbidden);
    await expect(teacherApi.cohorts.delete({ cohortId: cohortB.id, confirmName: cohortB.name })).rejects.toMatchObject(forbidden);
    expect(await membersOf(cohortB.id)).toEqual([]);

    const ownerApi = await o.api(o.owner);
    await ownerApi.cohorts.setInstructors({ cohortId: cohortB.id, userIds: [o.otherTeacher.id, o.teacher.id] });
    await teacherApi.cohorts.update({ cohortId: cohortB.id, seatLimit: 3 });
    await expect(ownerApi.cohorts.setInstructors({ cohortId: cohortA.id, userIds: [o.learner.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(ownerApi.cohorts.delete({ cohortId: cohortA.id, confirmName: "something else" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `Type the cohort's name, ${cohortA.name}, to confirm.`,
    });
    await ownerApi.cohorts.delete({ cohortId: cohortA.id, confirmName: cohortA.name });
    expect((await cohortsOf(o.tenant.id)).map((c) => c.id)).toEqual([cohortB.id]);
  });

  it("a learner reads no roster, not even their own cohort's, and lists only their own cohorts", async () => {
    const o = await org();
    const mine = await o.cohort();
    await o.cohort({ by: o.otherTeacher });
    await (await o.api(o.teacher)).cohorts.addMembers({ cohortId: mine.id, userIds: [o.learner.id] });
    const learnerApi = await o.api(o.learner);
    await expect(learnerApi.cohorts.roster({ cohortId: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(learnerApi.cohorts.get({ cohortId: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(learnerApi.cohorts.inviteLink({ cohortId: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const listed = await learnerApi.cohorts.list();
    expect(listed).toEqual({
      staff: false,
      cohorts: [
        { id: mine.id, name: mine.name, courseId: o.published.course.id, courseTitle: "Tiny Course", ...dates, enrolledAt: expect.any(Date) },
      ],
    });
  });
});

describe("members", () => {
  it("addMembers enrolls existing members, is idempotent, all or nothing, and honours the seat limit", async () => {
    const o = await org();
    const cohort = await o.cohort({ seatLimit: 2 });
    const other = await o.cohort();
    const api = await o.api(o.teacher);
    const at = new Date("2026-12-09T10:00:00Z");
    setClock(() => at);
    expect(await api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.learner.id] })).toEqual({ added: 1 });
    expect(await api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.learner.id] })).toEqual({ added: 0 });
    const [row] = await db.select().from(cohortMembers).where(eq(cohortMembers.cohortId, cohort.id));
    expect(row).toMatchObject({ userId: o.learner.id, enrolledAt: at, addedBy: o.teacher.id });
    expect(
      await db
        .select()
        .from(enrollments)
        .where(and(eq(enrollments.tenantId, o.tenant.id), eq(enrollments.userId, o.learner.id))),
    ).toHaveLength(1);

    const stranger = await outsider();
    await expect(api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.otherLearner.id, stranger.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Only members of the organisation"),
    });
    const extra = await makeUser(db, "extra");
    await db.insert(memberships).values({ tenantId: o.tenant.id, userId: extra.id, role: "learner" });
    await expect(api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.otherLearner.id, extra.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `${cohort.name} has 1 of 2 seats left; you tried to add 2.`,
    });
    await api.cohorts.addMembers({ cohortId: other.id, userIds: [extra.id] });
    await expect(api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.otherLearner.id, extra.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `One of them is already in ${other.name} for this course.`,
    });
    expect(await membersOf(cohort.id)).toEqual([o.learner.id]);
    expect(await db.select().from(enrollments).where(eq(enrollments.userId, o.otherLearner.id))).toEqual([]);

    expect(await api.cohorts.removeMember({ cohortId: cohort.id, userId: o.learner.id })).toEqual({ removed: true });
    expect(await api.cohorts.removeMember({ cohortId: cohort.id, userId: o.learner.id })).toEqual({ removed: false });
    expect(await membersOf(cohort.id)).toEqual([]);
    expect(await membershipOf(o.tenant.id, o.learner.id)).toBe("learner");
  });

  it("two concurrent adds for the last seat: exactly one gets it", async () => {
    const o = await org();
    const cohort = await o.cohort({ seatLimit: 1 });
    const [first, second] = await Promise.all([o.api(o.teacher), o.api(o.owner)]);
    const results = await Promise.allSettled([
      first.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.learner.id] }),
      second.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.otherLearner.id] }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await membersOf(cohort.id)).toHaveLength(1);
  });

  it("the roster lists members with their schedule status", async () => {
    const o = await org();
    const cohort = await o.cohort();
    const api = await o.api(o.teacher);
    setClock(() => new Date("2026-12-01T10:00:00Z"));
    await api.cohorts.addMembers({ cohortId: cohort.id, userIds: [o.learner.id] });
    // Chapter 1 opens Mon 7 Dec 09:00 Berlin, due 6 days later; by New Year it is overdue.
    setClock(() => new Date("2027-01-01T10:00:00Z"));
    expect(await api.cohorts.roster({ cohortId: cohort.id })).toEqual([
      {
        userId: o.learner.id,
        displayName: expect.stringMatching(/^learner /),
        email: expect.stringContaining("@example.test"),
        enrolledAt: new Date("2026-12-01T10:00:00Z"),
        status: "not_started",
        overdue: 2,
        done: 0,
        late: 0,
        total: 2,
      },
    ]);
  });
});

describe("joining by invitation link", () => {
  it("makes an outsider an org learner, enrolls them, switches their session there; again changes nothing", async () => {
    const o = await org();
    const cohort = await o.cohort({ seatLimit: 3 });
    const newcomer = await outsider();
    const browser = await session(newcomer.id, null);
    expect(await (await browser()).cohorts.previewJoin({ code: codeOf(cohort) })).toEqual({
      cohortName: cohort.name,
      orgName: o.tenant.name,
      courseTitle: "Tiny Course",
      startDate: dates.startDate,
      endDate: dates.endDate,
      seatsLeft: 3,
      full: false,
      ended: false,
    });
    const at = new Date("2026-12-10T07:30:00Z");
    setClock(() => at);
    expect(await (await browser()).cohorts.join({ code: codeOf(cohort) })).toEqual({
      tenantId: o.tenant.id,
      cohortId: cohort.id,
      cohortName: cohort.name,
      joined: true,
    });
    expect(await membershipOf(o.tenant.id, newcomer.id)).toBe("learner");
    expect(await db.select().from(enrollments).where(eq(enrollments.userId, newcomer.id))).toMatchObject([{ tenantId: o.tenant.id }]);
    expect(await db.select().from(cohortMembers).where(eq(cohortMembers.userId, newcomer.id))).toMatchObject([
      { cohortId: cohort.id, enrolledAt: at },
    ]);
    expect((await (await browser()).orgs.current()).tenantId).toBe(o.tenant.id);
    expect((await auditOf(cohort.id)).filter((e) => e.action === "member.joined")).toMatchObject([{ actorId: newcomer.id, createdAt: at }]);

    expect((await (await browser()).cohorts.join({ code: codeOf(cohort) })).joined).toBe(false);
    expect(await membersOf(cohort.id)).toEqual([newcomer.id]);
    expect((await (await browser()).cohorts.previewJoin({ code: codeOf(cohort) })).seatsLeft).toBe(2);
  });

  it("an instructor who joins keeps their role", async () => {
    const o = await org();
    const cohort = await o.cohort();
    await (await o.api(o.otherTeacher)).cohorts.join({ code: codeOf(cohort) });
    expect(await membershipOf(o.tenant.id, o.otherTeacher.id)).toBe("instructor");
  });

  it("a full cohort, or a second cohort of the same course, is refused and nothing is written", async () => {
    const o = await org();
    const full = await o.cohort({ seatLimit: 1 });
    const first = await outsider();
    await (await as(first.id, null)).cohorts.join({ code: codeOf(full) });
    const late = await outsider();
    const lateApi = await as(late.id, null);
    expect(await lateApi.cohorts.previewJoin({ code: codeOf(full) })).toMatchObject({ seatsLeft: 0, full: true });
    await expect(lateApi.cohorts.join({ code: codeOf(full) })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This cohort is full." });
    expect(await membershipOf(o.tenant.id, late.id)).toBeNull();
    expect(await db.select().from(enrollments).where(eq(enrollments.userId, late.id))).toEqual([]);

    const second = await o.cohort();
    await expect((await as(first.id, null)).cohorts.join({ code: codeOf(second) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `You are already in ${full.name} for this course.`,
    });
    expect(await membersOf(second.id)).toEqual([]);
    expect(await membersOf(full.id)).toEqual([first.id]);
  });

  it("after its last day in its own zone a cohort takes nobody new; on that day it still does", async () => {
    const o = await org();
    const cohort = await o.cohort();
    // 2027-01-31 23:30 in Berlin is still the last day; 00:30 on 1 February is not.
    setClock(() => new Date("2027-01-31T22:30:00Z"));
    const lastDay = await outsider();
    expect((await (await as(lastDay.id, null)).cohorts.join({ code: codeOf(cohort) })).joined).toBe(true);
    setClock(() => new Date("2027-01-31T23:30:00Z"));
    const late = await outsider();
    const lateApi = await as(late.id, null);
    expect(await lateApi.cohorts.previewJoin({ code: codeOf(cohort) })).toMatchObject({ endDate: dates.endDate, ended: true });
    await expect(lateApi.cohorts.join({ code: codeOf(cohort) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "This cohort ended on 2027-01-31; it takes no new learners.",
    });
    expect(await membershipOf(o.tenant.id, late.id)).toBeNull();
    expect(await membersOf(cohort.id)).toEqual([lastDay.id]);
  });

  it("two people racing for the last seat: exactly one gets it", async () => {
    const o = await org();
    const cohort = await o.cohort({ seatLimit: 1 });
    const racers = await Promise.all([outsider(), outsider()]);
    const apis = await Promise.all(racers.map((r) => as(r.id, null)));
    const results = await Promise.allSettled(apis.map((api) => api.cohorts.join({ code: codeOf(cohort) })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({ message: "This cohort is full." });
    expect(await membersOf(cohort.id)).toHaveLength(1);
    const joinedOrg = await Promise.all(racers.map((r) => membershipOf(o.tenant.id, r.id)));
    expect(joinedOrg.filter((role) => role === "learner")).toHaveLength(1);
  });

  it("resetting the link withdraws the old code; switching it off leaves none", async () => {
    const o = await org();
    const cohort = await o.cohort();
    const api = await o.api(o.teacher);
    expect(await api.cohorts.inviteLink({ cohortId: cohort.id })).toEqual({ code: cohort.inviteCode });
    const { code } = await api.cohorts.resetInviteLink({ cohortId: cohort.id, enabled: true });
    expect(code).not.toBe(cohort.inviteCode);
    const visitor = await as((await outsider()).id, null);
    await expect(visitor.cohorts.previewJoin({ code: codeOf(cohort) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(visitor.cohorts.join({ code: codeOf(cohort) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await visitor.cohorts.previewJoin({ code: codeOf({ inviteCode: code }) })).cohortName).toBe(cohort.name);
    expect(await api.cohorts.resetInviteLink({ cohortId: cohort.id, enabled: false })).toEqual({ code: null });
    expect(await api.cohorts.inviteLink({ cohortId: cohort.id })).toEqual({ code: null });
    await expect(visitor.cohorts.join({ code: codeOf({ inviteCode: code }) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("course versions", () => {
  /** A second edition of the org's course: lesson 1.2's text changed, 1.3 added, chapter 2 (and its lesson 2.1) gone. */
  async function publishSecondEdition(o: Awaited<ReturnType<typeof org>>) {
    const next = tinyCourse("test-2", "Changed text.");
    const [part] = next.course.parts;
    const [chapter] = part?.chapters ?? [];
    const [lesson] = chapter?.lessons ?? [];
    if (!part || !chapter || !lesson) throw new Error("tinyCourse changed shape");
    chapter.lessons.push({ ...lesson, key: "1.3-more", number: "1.3", title: "More", slug: "more", contentHash: "1.3:More." });
    part.chapters = [chapter];
    return (await publishEdition(db, { courseSlug: o.course.slug, course: next.course })).version;
  }

  it("versionDiff lists lessons added, removed and changed, with a text diff", async () => {
    const o = await org();
    const cohort = await o.cohort();
    const api = await o.api(o.otherTeacher);
    expect(await api.cohorts.versionDiff({ cohortId: cohort.id })).toMatchObject({ upToDate: true, added: [], removed: [], changed: [] });
    const v2 = await publishSecondEdition(o);
    expect((await api.cohorts.get({ cohortId: cohort.id })).newerVersion).toEqual({ id: v2.id, edition: "test-2" });
    const diff = await api.cohorts.versionDiff({ cohortId: cohort.id });
    expect(diff).toMatchObject({
      from: { edition: "test-1" },
      to: { id: v2.id, edition: "test-2" },
      upToDate: false,
      added: [{ key: "1.3-more", number: "1.3", title: "More" }],
      removed: [{ key: "2.1-streams", number: "2.1", title: "Streams" }],
    });
    expect(diff.changed).toEqual([
      {
        key: "1.2-world",
        number: "1.2",
        oldTitle: "World",
        newTitle: "World",
        diff: [
          { kind: "removed", text: "Original text." },
          { kind: "added", text: "Changed text." },
        ],
      },
    ]);
  });

  it("moveVersion moves the cohort forward only, drops overrides of items that are gone, and is audited", async () => {
    const o = await org();
    const cohort = await o.cohort();
    const other = await org();
    const v2 = await publishSecondEdition(o);
    const override = { tenantId: o.tenant.id, cohortId: cohort.id, opensDay: 0, opensTime: "09:00", dueDay: 3, dueTime: "18:00" };
    await db.insert(cohortScheduleOverrides).values([
      { ...override, itemKey: "chapter:1" },
      { ...override, itemKey: "chapter:2" },
    ]);
    await expect((await o.api(o.otherTeacher)).cohorts.moveVersion({ cohortId: cohort.id, versionId: v2.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const api = await o.api(o.teacher);
    await expect(api.cohorts.moveVersion({ cohortId: cohort.id, versionId: other.published.version.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(api.cohorts.moveVersion({ cohortId: cohort.id, versionId: o.published.version.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `${cohort.name} is on test-1: it can only move to a newer edition.`,
    });
    expect(await api.cohorts.moveVersion({ cohortId: cohort.id, versionId: v2.id })).toEqual({ edition: "test-2", droppedOverrides: ["chapter:2"] });
    const [moved] = await db.select().from(cohorts).where(eq(cohorts.id, cohort.id));
    expect(moved?.courseVersionId).toBe(v2.id);
    expect((await db.select().from(cohortScheduleOverrides).where(eq(cohortScheduleOverrides.cohortId, cohort.id))).map((r) => r.itemKey)).toEqual([
      "chapter:1",
    ]);
    expect((await auditOf(cohort.id)).find((e) => e.action === "version.moved")?.detail).toEqual({
      from: "test-1",
      to: "test-2",
      droppedOverrides: ["chapter:2"],
    });
    expect((await api.cohorts.versionDiff({ cohortId: cohort.id })).upToDate).toBe(true);
  });
});
