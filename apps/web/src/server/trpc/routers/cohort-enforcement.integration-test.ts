import { randomUUID } from "node:crypto";
import { findLab } from "@cookbook/content/labs";
import { publishEdition } from "@cookbook/db/queries/courses";
import { cohortExtensions, cohortMembers, cohorts, type LatePolicy, memberships } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { insertGradedAttempt } from "../../testing/lab-attempts";

/*
 * A cohort's schedule enforced on the server, with the clock moved instead of waiting: cohort
 * rows are written directly (the cohorts router is tested on its own). The rule opens one
 * chapter a week on Mondays at 09:00 Berlin time from Mon 7 Dec 2026, each due a week later:
 * chapter 1 (with the Kafka lab) opens 7 Dec 08:00 UTC and is due 14 Dec 08:00 UTC; chapter 2
 * opens 14 Dec and is due 21 Dec.
 */

// No lab-runner listens where this file's web app looks for one: a start that passes the schedule answers SERVICE_UNAVAILABLE.
const { db, pool, as } = await loadApi();
const { db: webDb } = await import("~/server/db");
const { rosterStatuses } = await import("~/server/cohorts/learner-plan");
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const found = findLab("kafka-sensor-readings");
if (!found) throw new Error("the Kafka lab is missing");
const lab = found;

const rule: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 7, skipWeekends: false, blackouts: [] };
const at = (iso: string) => setClock(() => new Date(iso));
const chapter1Opens = "2026-12-07T08:00:00.000Z";
const chapter1Due = "2026-12-14T08:00:00.000Z";
const lockedUntil7Dec = "Locked until Mon 7 Dec, 09:00 (Europe/Berlin).";

/** The tiny course (optionally at another edition and text) with the Kafka lab's lesson added to its first chapter. */
function labCourse(slug: string, edition = "test-1", text = "Original text.") {
  const { course } = tinyCourse(edition, text);
  const first = course.parts[0]?.chapters[0];
  const template = first?.lessons[0];
  if (!first || !template) throw new Error("tiny course changed");
  first.lessons.push({ ...template, key: lab.lessonKey, number: "1.5", slug: "kafka", title: "Kafka", contentHash: "kafka" });
  return { courseSlug: slug, course };
}

/** An organisation with the course enabled, a self-paced learner, and learners in a cohort on the course's first edition. */
async function orgWithCohort(
  options: { latePolicy?: LatePolicy; closeAfterDays?: number; learners?: number; rule?: PacingRule; enrolledAt?: Date } = {},
) {
  const slug = `cohort-${randomUUID().slice(0, 8)}`;
  const first = labCourse(slug);
  const owner = await makeUser(db, "owner");
  const selfPaced = await makeUser(db, "self-paced");
  const tenant = await makeTenant(db, owner.id);
  const learners = await Promise.all(Array.from({ length: options.learners ?? 1 }, (_, i) => makeUser(db, `learner-${i}`)));
  await db.insert(memberships).values([selfPaced, ...learners].map((u) => ({ tenantId: tenant.id, userId: u.id, role: "learner" as const })));
  const { course, version } = await publishEdition(db, first);
  await (await as(owner.id, tenant.id)).courses.enable({ courseId: course.id });
  const [cohort] = await db
    .insert(cohorts)
    .values({
      tenantId: tenant.id,
      courseId: course.id,
      courseVersionId: version.id,
      name: "Winter cohort",
      startDate: "2026-12-07",
      endDate: "2027-02-28",
      timeZone: "Europe/Berlin",
      rule: options.rule ?? rule,
      latePolicy: options.latePolicy ?? "accept_late",
      closeAfterDays: options.closeAfterDays ?? null,
      createdBy: owner.id,
    })
    .returning();
  if (!cohort) throw new Error("cohort not created");
  await db.insert(cohortMembers).values(
    learners.map((u) => ({
      tenantId: tenant.id,
      cohortId: cohort.id,
      courseId: course.id,
      userId: u.id,
      enrolledAt: options.enrolledAt ?? new Date("2026-12-01T10:00:00Z"),
    })),
  );
  const apiOf = (userId: string) => () => as(userId, tenant.id);
  for (const u of [selfPaced, ...learners]) await (await apiOf(u.id)()).courses.enroll({ courseId: course.id });
  const [learner] = learners;
  if (!learner) throw new Error("no learner");
  return { tenant, owner, course, version, cohort, slug, learner, learners, learnerApi: apiOf(learner.id), selfPacedApi: apiOf(selfPaced.id), apiOf };
}

type Org = Awaited<ReturnType<typeof orgWithCohort>>;

/** A graded attempt at the Kafka lab, written as labs.check would at `createdAt`. */
async function labAttempt(org: Org, userId: string, createdAt: Date, score = 7) {
  await insertGradedAttempt(db, { tenantId: org.tenant.id, userId, courseId: org.course.id, lab, score, maxScore: 7, result: {}, createdAt });
}

const complete = async (org: Org, lessonKey: string, api = org.learnerApi) =>
  (await api()).courses.setLessonComplete({ courseId: org.course.id, lessonKey, complete: true });

describe("before a chapter opens", () => {
  it("its lessons and introduction come without text, and completing or starting its lab is refused with the same message", async () => {
    const org = await orgWithCohort();
    at("2026-12-06T12:00:00Z");
    const api = await org.learnerApi();

    const lesson = await api.courses.lesson({ courseSlug: org.slug, lessonKey: "1.1-hello" });
    expect(lesson.lesson.blocks).toEqual([]);
    expect(lesson.locked).toEqual({ opensAt: chapter1Opens, message: lockedUntil7Dec });
    const chapter = await api.courses.chapter({ courseSlug: org.slug, chapterNumber: 1 });
    expect(chapter.chapter.intro).toEqual([]);
    expect(chapter.locked?.message).toBe(lockedUntil7Dec);

    const outline = await api.courses.outline({ courseSlug: org.slug });
    expect(outline.cohort).toEqual({ id: org.cohort.id, name: "Winter cohort", timeZone: "Europe/Berlin" });
    expect(outline.chapters.map((c) => c.schedule && [c.schedule.state, c.schedule.opensAt, c.schedule.dueAt])).toEqual([
      ["locked", chapter1Opens, chapter1Due],
      ["locked", chapter1Due, "2026-12-21T08:00:00.000Z"],
    ]);

    await expect(complete(org, "1.1-hello")).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: lockedUntil7Dec });
    await expect(api.labs.start({ courseId: org.course.id, lessonKey: lab.lessonKey, labSlug: lab.slug })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: lockedUntil7Dec,
    });
    const [lockedLab] = await api.labs.forLesson({ courseSlug: org.slug, lessonKey: lab.lessonKey });
    expect(lockedLab?.schedule).toMatchObject({ state: "locked", opensAt: chapter1Opens, dueAt: chapter1Due });
    // The lab's text quotes the lesson: it stays on the server too.
    expect(lockedLab?.lab.summary).toBe("");
    expect(lockedLab?.lab.steps.map((s) => s.instructions)).toEqual(lab.steps.map(() => ""));
    expect((await api.courses.outline({ courseSlug: org.slug })).completed).toBe(0);
    // The lesson and chapter answers carry the cohort's zone and the chapter's dates for the page.
    expect(lesson.cohort?.timeZone).toBe("Europe/Berlin");
    expect(lesson.schedule).toMatchObject({ state: "locked", opensAt: chapter1Opens, dueAt: chapter1Due });
    expect(chapter.schedule).toEqual(lesson.schedule);

    at("2026-12-07T08:00:00Z");
    const [openLab] = await api.labs.forLesson({ courseSlug: org.slug, lessonKey: lab.lessonKey });
    expect(openLab?.lab.steps.map((s) => s.instructions)).toEqual(lab.steps.map((s) => s.instructions));
  });

  it("a self-paced learner of the same organisation is not affected", async () => {
    const org = await orgWithCohort();
    at("2026-12-06T12:00:00Z");
    const api = await org.selfPacedApi();
    const lesson = await api.courses.lesson({ courseSlug: org.slug, lessonKey: "1.1-hello" });
    expect(lesson.locked).toBeNull();
    expect(lesson.lesson.blocks).not.toEqual([]);
    const outline = await api.courses.outline({ courseSlug: org.slug });
    expect(outline.cohort).toBeNull();
    expect(outline.chapters.map((c) => c.schedule)).toEqual([null, null]);
    await complete(org, "1.1-hello", org.selfPacedApi);
    expect((await (await org.selfPacedApi()).labs.forLesson({ courseSlug: org.slug, lessonKey: lab.lessonKey }))[0]?.schedule).toBeNull();
    expect(await (await org.selfPacedApi()).week.mine()).toEqual([]);
  });
});

describe("once a chapter opens", () => {
  it("the lesson has its text, completing works and the lab gets past the schedule; the next chapter stays locked", async () => {
    const org = await orgWithCohort();
    at("2026-12-07T08:00:00Z");
    const api = await org.learnerApi();
    const lesson = await api.courses.lesson({ courseSlug: org.slug, lessonKey: "1.1-hello" });
    expect(lesson.locked).toBeNull();
    expect(lesson.lesson.blocks).toHaveLength(1);
    await complete(org, "1.1-hello");
    // Past the schedule, the start reaches the (absent) lab service.
    await expect(api.labs.start({ courseId: org.course.id, lessonKey: lab.lessonKey, labSlug: lab.slug })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
    const next = await api.courses.lesson({ courseSlug: org.slug, lessonKey: "2.1-streams" });
    expect(next.locked?.message).toBe("Locked until Mon 14 Dec, 09:00 (Europe/Berlin).");
    expect(next.lesson.blocks).toEqual([]);
  });
});

describe("late work", () => {
  it("a chapter completed after its due time is late in the outline and in the learner's week", async () => {
    const org = await orgWithCohort();
    at("2026-12-10T12:00:00Z");
    await complete(org, "1.1-hello");
    await complete(org, "1.2-world");
    let week = await (await org.learnerApi()).week.mine();
    expect(week).toHaveLength(1);
    expect(week[0]?.cohort).toEqual({
      id: org.cohort.id,
      name: "Winter cohort",
      timeZone: "Europe/Berlin",
      courseSlug: org.slug,
      courseTitle: "Tiny Course",
    });
    expect(week[0]?.openNow.map((i) => i.key)).toEqual(["chapter:1", `lab:${lab.slug}`]);
    expect(week[0]?.dueSoon.map((i) => [i.key, i.dueAt])).toEqual([
      ["chapter:1", chapter1Due],
      [`lab:${lab.slug}`, chapter1Due],
    ]);
    expect(week[0]?.overdue).toEqual([]);

    at("2026-12-15T12:00:00Z");
    await complete(org, lab.lessonKey);
    const outline = await (await org.learnerApi()).courses.outline({ courseSlug: org.slug });
    expect(outline.chapters[0]?.schedule).toMatchObject({ state: "open", done: true, late: true, overdue: false });
    expect(outline.chapters[1]?.schedule).toMatchObject({ state: "open", done: false, late: false, overdue: false });

    week = await (await org.learnerApi()).week.mine();
    const mine = week[0];
    expect(mine?.openNow.map((i) => [i.key, i.done, i.late, i.href])).toEqual([
      ["chapter:1", true, true, `/courses/${org.slug}/chapters/1`],
      ["chapter:2", false, false, `/courses/${org.slug}/chapters/2`],
    ]);
    expect(mine?.dueSoon.map((i) => i.key)).toEqual(["chapter:2"]);
    // The lab is done at a full score only; completing its lesson is not enough.
    expect(mine?.overdue.map((i) => [i.key, i.state, i.href])).toEqual([[`lab:${lab.slug}`, "open", `/courses/${org.slug}/${lab.lessonKey}`]]);
  });

  it("with close_after, work is refused from closesAt on, with the closing time in the message", async () => {
    const org = await orgWithCohort({ latePolicy: "close_after", closeAfterDays: 2 });
    const closed = "Closed since Wed 16 Dec, 09:00 (Europe/Berlin): the cohort no longer accepts work on it.";
    at("2026-12-16T07:59:00Z");
    await complete(org, "1.1-hello");
    at("2026-12-16T08:00:00Z");
    await expect(complete(org, "1.2-world")).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: closed });
    const api = await org.learnerApi();
    await expect(api.courses.setLessonComplete({ courseId: org.course.id, lessonKey: "1.1-hello", complete: false })).rejects.toMatchObject({
      message: closed,
    });
    await expect(api.labs.start({ courseId: org.course.id, lessonKey: lab.lessonKey, labSlug: lab.slug })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: closed,
    });
    const outline = await api.courses.outline({ courseSlug: org.slug });
    expect(outline.completed).toBe(1);
    expect(outline.chapters[0]?.schedule).toMatchObject({ state: "closed", closesAt: "2026-12-16T08:00:00.000Z", overdue: true });
    // Reading stays possible; only work is refused.
    expect((await api.courses.lesson({ courseSlug: org.slug, lessonKey: "1.2-world" })).lesson.blocks).toHaveLength(1);
  });
});

describe("extensions", () => {
  it("move the learner's due time by the days of their extensions in force, at the same local time", async () => {
    const org = await orgWithCohort({ latePolicy: "close_after", closeAfterDays: 0 });
    const extension = { tenantId: org.tenant.id, cohortId: org.cohort.id, userId: org.learner.id, reason: "ill", grantedBy: org.owner.id };
    await db.insert(cohortExtensions).values([
      { ...extension, itemKey: "chapter:1", days: 3 },
      { ...extension, itemKey: null, days: 2 },
      { ...extension, itemKey: "chapter:1", days: 30, revokedAt: new Date("2026-12-01T00:00:00Z"), revokedBy: org.owner.id },
    ]);
    at("2026-12-15T12:00:00Z");
    const outline = await (await org.learnerApi()).courses.outline({ courseSlug: org.slug });
    expect(outline.chapters.map((c) => c.schedule && [c.schedule.dueAt, c.schedule.extensionDays, c.schedule.state])).toEqual([
      ["2026-12-19T08:00:00.000Z", 5, "open"],
      ["2026-12-23T08:00:00.000Z", 2, "open"],
    ]);
    // Past the cohort's own due and closing time, the extended learner may still work on chapter 1.
    await complete(org, "1.1-hello");
  });
});

describe("relative mode", () => {
  it("counts from the learner's enrollment day in the cohort's zone", async () => {
    // Sun 6 Dec 23:30 UTC is already Monday in Berlin: the first Sunday slot from there is 13 Dec.
    const org = await orgWithCohort({ rule: { ...rule, mode: "relative", weekday: "sun" }, enrolledAt: new Date("2026-12-06T23:30:00Z") });
    at("2026-12-07T12:00:00Z");
    const outline = await (await org.learnerApi()).courses.outline({ courseSlug: org.slug });
    expect(outline.chapters[0]?.schedule).toMatchObject({ state: "locked", opensAt: "2026-12-13T08:00:00.000Z" });
  });
});

describe("course version pinned per cohort", () => {
  it("a cohort learner reads the cohort's edition while a self-paced learner reads the newest", async () => {
    const org = await orgWithCohort();
    await publishEdition(db, labCourse(org.slug, "test-2", "Changed text."));
    at("2026-12-08T12:00:00Z");
    const textOf = async (api: Awaited<ReturnType<Org["learnerApi"]>>) => {
      const lesson = await api.courses.lesson({ courseSlug: org.slug, lessonKey: "1.2-world" });
      return [lesson.edition, JSON.stringify(lesson.lesson.blocks).includes("Changed text.") ? "changed" : "original"];
    };
    expect(await textOf(await org.learnerApi())).toEqual(["test-1", "original"]);
    expect(await textOf(await org.selfPacedApi())).toEqual(["test-2", "changed"]);
    expect((await (await org.learnerApi()).courses.list()).map((c) => c.edition)).toEqual(["test-1"]);
    expect((await (await org.selfPacedApi()).courses.outline({ courseSlug: org.slug })).edition).toBe("test-2");
  });
});

describe("roster statuses", () => {
  it("tell not started, behind (with the number of items overdue) and on track apart, and count late items", async () => {
    const org = await orgWithCohort({ learners: 4 });
    const [idle, behind, onTrack, late] = org.learners;
    if (!idle || !behind || !onTrack || !late) throw new Error("four learners");
    at("2026-12-10T12:00:00Z");
    await complete(org, "1.1-hello", org.apiOf(behind.id));
    for (const key of ["1.1-hello", "1.2-world", lab.lessonKey]) await complete(org, key, org.apiOf(onTrack.id));
    await labAttempt(org, onTrack.id, new Date("2026-12-10T12:00:00Z"), 3);
    await labAttempt(org, onTrack.id, new Date("2026-12-11T12:00:00Z"));
    // Chapter 1 was due Mon 14 Dec 09:00 Berlin: done a day later, it is done and late.
    at("2026-12-15T10:00:00Z");
    for (const key of ["1.1-hello", "1.2-world", lab.lessonKey]) await complete(org, key, org.apiOf(late.id));

    const now = new Date("2026-12-15T12:00:00Z");
    const statuses = await withTenant(webDb, org.tenant.id, (tx) => rosterStatuses(tx, { tenantId: org.tenant.id, cohort: org.cohort, now }));
    const byUser = new Map(statuses.map((s) => [s.userId, s]));
    expect(statuses).toHaveLength(4);
    expect(byUser.get(idle.id)).toEqual({ userId: idle.id, status: "not_started", overdue: 2, done: 0, late: 0, total: 3 });
    expect(byUser.get(behind.id)).toEqual({ userId: behind.id, status: "behind", overdue: 2, done: 0, late: 0, total: 3 });
    expect(byUser.get(onTrack.id)).toEqual({ userId: onTrack.id, status: "on_track", overdue: 0, done: 2, late: 0, total: 3 });
    expect(byUser.get(late.id)).toEqual({ userId: late.id, status: "behind", overdue: 1, done: 1, late: 1, total: 3 });
  });
});
