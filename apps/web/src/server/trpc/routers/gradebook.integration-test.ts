import { randomUUID } from "node:crypto";
import { findLab } from "@cookbook/content/labs";
import { publishEdition } from "@cookbook/db/queries/courses";
import { cohortExtensions, cohortInstructors, cohortMembers, cohorts, learningEvents, memberships, users } from "@cookbook/db/schema";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { insertGradedAttempt } from "../../testing/lab-attempts";

/*
 * A hand-computed cohort. Rule: one chapter a week from Mon 7 Dec 2026, Mondays 09:00 Berlin,
 * due 7 days later; items close 3 days after their (extended) due time. Items in book order:
 * chapter:1 (lessons 1.1, 1.2 and the Kafka lab's lesson), lab:kafka-sensor-readings (with its
 * chapter), chapter:2 (lesson 2.1).
 *   chapter 1 + lab: open 7 Dec 08:00Z, due 14 Dec 08:00Z, close 17 Dec 08:00Z
 *   chapter 2:       open 14 Dec 08:00Z, due 21 Dec 08:00Z, close 24 Dec 08:00Z
 * The gradebook is read at Wed 23 Dec 12:00Z.
 *   Ada  — chapter 1 on 10 Dec, lab 7/7 on 11 Dec, chapter 2 on 20 Dec: all on time, on track.
 *   Ben  — +3 days on the lab (due 17 Dec). Chapter 1 on 16 Dec (late); four attempts at 4/7
 *          failing consume-with-group (12, 13, 15, 16 Dec; the 13 Dec one also fails
 *          produce-readings, 2/7); lab and chapter 2 overdue: behind, 2 overdue, 1 late; last
 *          active 16 Dec 10:00 → 7 days inactive.
 *   Cleo — nothing: not started, 3 overdue, inactive since the cohort began (6 Dec 23:00Z) → 16 days.
 *   Dan  — +10 days on everything (due 24 Dec / 31 Dec). Chapter 1 on 18 Dec and the lab 5/7
 *          then 7/7 on 19 Dec: not late; chapter 2 open, not overdue: on track.
 *   Eve  — self-paced (enrolled, in no cohort): chapter 1's three lessons done.
 */

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const found = findLab("kafka-sensor-readings");
if (!found) throw new Error("the Kafka lab is missing");
const lab = found;
const rule: PacingRule = { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 7, skipWeekends: false, blackouts: [] };
const at = (iso: string) => setClock(() => new Date(iso));
const readAt = "2026-12-23T12:00:00.000Z";
const labKey = `lab:${lab.slug}`;

const slug = `gradebook-${randomUUID().slice(0, 8)}`;
const { course: content } = tinyCourse();
const first = content.parts[0]?.chapters[0];
const template = first?.lessons[0];
if (!first || !template) throw new Error("tiny course changed");
first.lessons.push({ ...template, key: lab.lessonKey, number: "1.5", slug: "kafka", title: "Kafka", contentHash: "kafka" });
const chapter1Lessons = ["1.1-hello", "1.2-world", lab.lessonKey];

type Api = Awaited<ReturnType<typeof as>>;
let tenantId: string;
let courseId: string;
let cohortId: string;
let ownerApi: () => Promise<Api>;
let teacherApi: () => Promise<Api>;
let otherTeacherApi: () => Promise<Api>;
const people: Record<"ada" | "ben" | "cleo" | "dan" | "eve", { id: string; api: () => Promise<Api> }> = {} as never;
let outsiderApi: () => Promise<Api>;
let otherCohortId: string;
const benAttempts: string[] = [];

const grade = (failing: string[]) => ({
  labSlug: lab.slug,
  labVersion: lab.version,
  score: 0,
  maxScore: 7,
  steps: ["create-topic", "produce-readings", "consume-with-group"].map((stepId) => ({
    stepId,
    title: stepId,
    passed: !failing.includes(stepId),
    earned: failing.includes(stepId) ? 0 : 2,
    points: 2,
    checks: [],
    hints: [],
  })),
});

/** A graded attempt as labs.check writes it at `when`, with its lab_checked event. */
async function attempt(userId: string, when: string, score: number, failing: string[] = []) {
  const createdAt = new Date(when);
  const row = await insertGradedAttempt(db, { tenantId, userId, courseId, lab, score, maxScore: 7, result: grade(failing), createdAt });
  await db.insert(learningEvents).values({
    tenantId,
    userId,
    courseId,
    verb: "lab_checked",
    lessonKey: lab.lessonKey,
    labSlug: lab.slug,
    attemptId: row.id,
    score,
    maxScore: 7,
    occurredAt: createdAt,
  });
  return row.id;
}

async function complete(who: { api: () => Promise<Api> }, when: string, lessons: string[]) {
  at(when);
  for (const lessonKey of lessons) await (await who.api()).courses.setLessonComplete({ courseId, lessonKey, complete: true });
}

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

beforeAll(async () => {
  const owner = await makeUser(db, "owner");
  const tenant = await makeTenant(db, owner.id);
  tenantId = tenant.id;
  const member = async (name: string, role: "learner" | "instructor") => {
    const user = await makeUser(db, name);
    await db.insert(memberships).values({ tenantId, userId: user.id, role });
    return { id: user.id, api: () => as(user.id, tenantId) };
  };
  ownerApi = () => as(owner.id, tenantId);
  const teacher = await member("teacher", "instructor");
  teacherApi = teacher.api;
  otherTeacherApi = (await member("other-teacher", "instructor")).api;
  for (const name of ["ada", "ben", "cleo", "dan", "eve"] as const) people[name] = await member(name, "learner");
  // makeUser adds a unique suffix to names: give them the plain names the sorts are checked by.
  for (const [name, p] of Object.entries(people))
    await db
      .update(users)
      .set({ displayName: `${name[0]?.toUpperCase()}${name.slice(1)}` })
      .where(eq(users.id, p.id));
  const { course, version } = await publishEdition(db, { courseSlug: slug, course: content });
  courseId = course.id;
  await (await ownerApi()).courses.enable({ courseId });
  const insertCohort = async (name: string) => {
    const [row] = await db
      .insert(cohorts)
      .values({
        tenantId,
        courseId,
        courseVersionId: version.id,
        name,
        startDate: "2026-12-07",
        endDate: "2027-02-28",
        timeZone: "Europe/Berlin",
        rule,
        latePolicy: "close_after",
        closeAfterDays: 3,
        createdBy: owner.id,
      })
      .returning();
    if (!row) throw new Error("no cohort");
    return row;
  };
  const cohort = await insertCohort("Winter");
  cohortId = cohort.id;
  await db.insert(cohortInstructors).values({ tenantId, cohortId, userId: teacher.id });
  const learners = [people.ada, people.ben, people.cleo, people.dan];
  await db
    .insert(cohortMembers)
    .values(learners.map((p) => ({ tenantId, cohortId, courseId, userId: p.id, enrolledAt: new Date("2026-12-01T10:00:00Z") })));
  // Another cohort of the course with someone in it: not part of Winter's gradebook.
  const other = await insertCohort("Spring");
  otherCohortId = other.id;
  const outsider = await member("zed", "learner");
  outsiderApi = outsider.api;
  await db
    .insert(cohortMembers)
    .values({ tenantId, cohortId: other.id, courseId, userId: outsider.id, enrolledAt: new Date("2026-12-01T10:00:00Z") });
  at("2026-12-01T10:00:00Z");
  for (const p of [...learners, people.eve, outsider]) await (await p.api()).courses.enroll({ courseId });
  await db.insert(cohortExtensions).values([
    { tenantId, cohortId, userId: people.ben.id, itemKey: labKey, days: 3, reason: "Ill.", grantedBy: owner.id },
    { tenantId, cohortId, userId: people.dan.id, itemKey: null, days: 10, reason: "Travel.", grantedBy: owner.id },
  ]);

  await complete(people.ada, "2026-12-10T10:00:00Z", chapter1Lessons);
  await attempt(people.ada.id, "2026-12-11T10:00:00Z", 7);
  await complete(people.ada, "2026-12-20T10:00:00Z", ["2.1-streams"]);

  await db.insert(learningEvents).values({
    tenantId,
    userId: people.ben.id,
    courseId,
    verb: "lab_started",
    lessonKey: lab.lessonKey,
    labSlug: lab.slug,
    occurredAt: new Date("2026-12-12T09:00:00Z"),
  });
  benAttempts.push(await attempt(people.ben.id, "2026-12-12T10:00:00Z", 4, ["consume-with-group"]));
  benAttempts.push(await attempt(people.ben.id, "2026-12-13T10:00:00Z", 2, ["produce-readings", "consume-with-group"]));
  benAttempts.push(await attempt(people.ben.id, "2026-12-15T10:00:00Z", 4, ["consume-with-group"]));
  await complete(people.ben, "2026-12-16T09:00:00Z", chapter1Lessons);
  benAttempts.push(await attempt(people.ben.id, "2026-12-16T10:00:00Z", 4, ["consume-with-group"]));

  await complete(people.dan, "2026-12-18T10:00:00Z", chapter1Lessons);
  await attempt(people.dan.id, "2026-12-19T09:00:00Z", 5, ["consume-with-group"]);
  await attempt(people.dan.id, "2026-12-19T10:00:00Z", 7);

  await complete(people.eve, "2026-12-09T10:00:00Z", chapter1Lessons);
});

const scope = () => ({ cohortId });
const cell = (
  done: boolean,
  late: boolean,
  extended: boolean,
  state: string | null,
  bestScore: number | null = null,
  maxScore: number | null = null,
) => ({
  done,
  late,
  extended,
  state,
  bestScore,
  maxScore,
});

describe("gradebook.cohort", () => {
  it("shows every learner × item cell as their plan sees it, in name order, with the cohort's thresholds", async () => {
    at(readAt);
    const book = await (await teacherApi()).gradebook.cohort({ scope: scope() });
    expect(book.scope).toMatchObject({ kind: "cohort", cohortId, name: "Winter" });
    expect(book.thresholds).toEqual({ atRiskOverdueItems: 2, atRiskInactiveDays: 7, atRiskStepFailures: 3 });
    expect(book.columns).toEqual([
      { key: "chapter:1", kind: "chapter", title: "Start", chapterNumber: 1, dueAt: "2026-12-14T08:00:00.000Z" },
      { key: labKey, kind: "lab", title: lab.title, chapterNumber: 1, dueAt: "2026-12-14T08:00:00.000Z" },
      { key: "chapter:2", kind: "chapter", title: "Next", chapterNumber: 2, dueAt: "2026-12-21T08:00:00.000Z" },
    ]);
    const rows = Object.fromEntries(book.rows.map((r) => [r.displayName, r]));
    expect(book.rows.map((r) => r.displayName)).toEqual(["Ada", "Ben", "Cleo", "Dan"]);
    expect(rows.Ada).toMatchObject({ status: "on_track", overdue: 0, late: 0, done: 3, total: 3, lastActiveAt: "2026-12-20T10:00:00.000Z" });
    expect(rows.Ada?.cells).toEqual({
      "chapter:1": cell(true, false, false, "closed"),
      [labKey]: cell(true, false, false, "closed", 7, 7),
      "chapter:2": cell(true, false, false, "open"),
    });
    expect(rows.Ben).toMatchObject({ status: "behind", overdue: 2, late: 1, done: 1, lastActiveAt: "2026-12-16T10:00:00.000Z" });
    expect(rows.Ben?.cells).toEqual({
      "chapter:1": cell(true, true, false, "closed"),
      [labKey]: cell(false, false, true, "closed", 4, 7),
      "chapter:2": cell(false, false, false, "open"),
    });
    expect(rows.Cleo).toMatchObject({ status: "not_started", overdue: 3, late: 0, done: 0, lastActiveAt: null });
    expect(rows.Cleo?.cells["chapter:1"]).toEqual(cell(false, false, false, "closed"));
    expect(rows.Dan).toMatchObject({ status: "on_track", overdue: 0, late: 0, done: 2, lastActiveAt: "2026-12-19T10:00:00.000Z" });
    expect(rows.Dan?.cells).toEqual({
      "chapter:1": cell(true, false, true, "open"),
      [labKey]: cell(true, false, true, "open", 7, 7),
      "chapter:2": cell(false, false, true, "open"),
    });
  });

  it("agrees with the roster's status, overdue and late counts", async () => {
    at(readAt);
    const roster = await (await teacherApi()).cohorts.roster({ cohortId });
    const book = await (await teacherApi()).gradebook.cohort({ scope: scope() });
    const byId = new Map(book.rows.map((r) => [r.userId, r]));
    for (const r of roster)
      expect(byId.get(r.userId)).toMatchObject({ status: r.status, overdue: r.overdue, late: r.late, done: r.done, total: r.total });
  });

  it("shows a chapter not yet open as locked", async () => {
    at("2026-12-10T12:00:00Z");
    const book = await (await teacherApi()).gradebook.cohort({ scope: scope() });
    expect(book.rows.map((r) => r.cells["chapter:2"]?.state)).toEqual(["locked", "locked", "locked", "locked"]);
    expect(book.rows.map((r) => r.cells["chapter:1"]?.state)).toEqual(["open", "open", "open", "open"]);
  });

  it("filters behind, inactive and a failed lab, alone and combined", async () => {
    at(readAt);
    const api = await teacherApi();
    const names = async (filter: Parameters<Api["gradebook"]["cohort"]>[0]["filter"]) =>
      (await api.gradebook.cohort({ scope: scope(), filter })).rows.map((r) => r.displayName);
    expect(await names({ behind: true })).toEqual(["Ben"]);
    expect(await names({ inactive: true })).toEqual(["Ben", "Cleo"]);
    expect(await names({ failedLab: lab.slug })).toEqual(["Ben", "Dan"]);
    expect(await names({ failedLab: lab.slug, inactive: true })).toEqual(["Ben"]);
    expect(await names({ behind: false })).toEqual(["Ada", "Ben", "Cleo", "Dan"]);
    await expect(api.gradebook.cohort({ scope: scope(), filter: { failedLab: "no-such-lab" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "This course has no lab no-such-lab.",
    });
  });

  it("sorts by name, status, progress and last activity", async () => {
    at(readAt);
    const api = await teacherApi();
    const order = async (sort: "name" | "status" | "progress" | "lastActive") =>
      (await api.gradebook.cohort({ scope: scope(), sort })).rows.map((r) => r.displayName);
    expect(await order("name")).toEqual(["Ada", "Ben", "Cleo", "Dan"]);
    expect(await order("status")).toEqual(["Ben", "Cleo", "Ada", "Dan"]);
    expect(await order("progress")).toEqual(["Cleo", "Ben", "Dan", "Ada"]);
    expect(await order("lastActive")).toEqual(["Cleo", "Ben", "Dan", "Ada"]);
  });

  it("shows self-paced learners with done and best scores only: no dates, no state, status from progress", async () => {
    at(readAt);
    const book = await (await teacherApi()).gradebook.cohort({ scope: { courseId, selfPaced: true } });
    expect(book.scope).toMatchObject({ kind: "self_paced", cohortId: null });
    expect(book.thresholds).toEqual({ atRiskOverdueItems: 2, atRiskInactiveDays: 7, atRiskStepFailures: 3 });
    expect(book.columns.map((c) => c.dueAt)).toEqual([null, null, null]);
    expect(book.rows).toHaveLength(1);
    expect(book.rows[0]).toMatchObject({ userId: people.eve.id, status: "in_progress", overdue: 0, late: 0, done: 1, total: 3 });
    expect(book.rows[0]?.cells).toEqual({
      "chapter:1": cell(true, false, false, null),
      [labKey]: cell(false, false, false, null),
      "chapter:2": cell(false, false, false, null),
    });
  });
});

describe("gradebook.atRisk", () => {
  it("names each reason in words by the cohort's thresholds, and follows them when they change", async () => {
    at(readAt);
    const api = await teacherApi();
    expect(await api.gradebook.atRisk({ scope: scope() })).toEqual([
      {
        userId: people.ben.id,
        displayName: "Ben",
        reasons: [
          { code: "overdue", text: "2 items past due", count: 2 },
          { code: "inactive", text: "inactive for 7 days", days: 7 },
          { code: "step_failures", text: "failed step consume-with-group 4 times", labSlug: lab.slug, stepId: "consume-with-group", count: 4 },
        ],
      },
      {
        userId: people.cleo.id,
        displayName: "Cleo",
        reasons: [
          { code: "overdue", text: "3 items past due", count: 3 },
          { code: "inactive", text: "inactive for 16 days", days: 16 },
        ],
      },
    ]);

    expect(await api.gradebook.setThresholds({ cohortId, atRiskOverdueItems: 3, atRiskInactiveDays: 10, atRiskStepFailures: 5 })).toEqual({
      atRiskOverdueItems: 3,
      atRiskInactiveDays: 10,
      atRiskStepFailures: 5,
    });
    expect((await api.gradebook.cohort({ scope: scope() })).thresholds).toEqual({
      atRiskOverdueItems: 3,
      atRiskInactiveDays: 10,
      atRiskStepFailures: 5,
    });
    expect((await api.gradebook.cohort({ scope: scope(), filter: { inactive: true } })).rows.map((r) => r.displayName)).toEqual(["Cleo"]);
    expect((await api.gradebook.atRisk({ scope: scope() })).map((r) => [r.displayName, r.reasons.map((x) => x.text)])).toEqual([
      ["Cleo", ["3 items past due", "inactive for 16 days"]],
    ]);

    await api.gradebook.setThresholds({ cohortId, atRiskStepFailures: 1 });
    expect((await api.gradebook.atRisk({ scope: scope() })).map((r) => [r.displayName, r.reasons.map((x) => x.text)])).toEqual([
      ["Ben", ["failed step consume-with-group 4 times", "failed step produce-readings once"]],
      ["Cleo", ["3 items past due", "inactive for 16 days"]],
      ["Dan", ["failed step consume-with-group once"]],
    ]);
    // Back to the defaults for the other tests; setting what is already set writes nothing.
    await api.gradebook.setThresholds({ cohortId, atRiskOverdueItems: 2, atRiskInactiveDays: 7, atRiskStepFailures: 3 });
    const audit = await (await ownerApi()).extensions.auditLog({ cohortId });
    const changes = audit.filter((e) => e.action === "cohort.updated");
    await api.gradebook.setThresholds({ cohortId, atRiskOverdueItems: 2 });
    expect((await (await ownerApi()).extensions.auditLog({ cohortId })).filter((e) => e.action === "cohort.updated")).toHaveLength(changes.length);
    expect(changes).toHaveLength(3);
  });

  it("refuses thresholds out of range, and an instructor who does not teach the cohort", async () => {
    const api = await teacherApi();
    expect(await refusal(api.gradebook.setThresholds({ cohortId, atRiskInactiveDays: 0 }))).toBe("BAD_REQUEST");
    expect(await refusal(api.gradebook.setThresholds({ cohortId, atRiskStepFailures: 1001 }))).toBe("BAD_REQUEST");
    expect(await refusal((await otherTeacherApi()).gradebook.setThresholds({ cohortId, atRiskInactiveDays: 3 }))).toBe("FORBIDDEN");
    // Reading is open to every instructor of the organisation, as the cohort pages are.
    expect((await (await otherTeacherApi()).gradebook.cohort({ scope: scope() })).rows).toHaveLength(4);
  });
});

describe("gradebook.learner", () => {
  it("shows Ben's plan, timeline newest first, attempts with step results and his extensions", async () => {
    at(readAt);
    const page = await (await teacherApi()).gradebook.learner({ scope: scope(), userId: people.ben.id });
    expect(page.learner).toMatchObject({ displayName: "Ben", status: "behind", overdue: 2, late: 1 });
    expect(page.reasons.map((r) => r.text)).toEqual(["2 items past due", "inactive for 7 days", "failed step consume-with-group 4 times"]);
    expect(page.items.map((i) => [i.key, i.dueAt, i.done, i.late, i.overdue, i.extensionDays])).toEqual([
      ["chapter:1", "2026-12-14T08:00:00.000Z", true, true, false, 0],
      [labKey, "2026-12-17T08:00:00.000Z", false, false, true, 3],
      ["chapter:2", "2026-12-21T08:00:00.000Z", false, false, true, 0],
    ]);
    expect(page.timeline.more).toBe(false);
    expect(page.timeline.events.map((e) => [e.verb, e.occurredAt, e.score])).toEqual([
      ["lab_checked", "2026-12-16T10:00:00.000Z", 4],
      ["lesson_completed", "2026-12-16T09:00:00.000Z", null],
      ["lesson_completed", "2026-12-16T09:00:00.000Z", null],
      ["lesson_completed", "2026-12-16T09:00:00.000Z", null],
      ["lab_checked", "2026-12-15T10:00:00.000Z", 4],
      ["lab_checked", "2026-12-13T10:00:00.000Z", 2],
      ["lab_checked", "2026-12-12T10:00:00.000Z", 4],
      ["lab_started", "2026-12-12T09:00:00.000Z", null],
    ]);
    expect(page.attempts.map((a) => a.id)).toEqual([...benAttempts].reverse());
    expect(page.attempts[2]).toMatchObject({ score: 2, maxScore: 7, labTitle: lab.title, createdAt: "2026-12-13T10:00:00.000Z" });
    expect(page.attempts[2]?.steps.map((s) => [s.stepId, s.passed])).toEqual([
      ["create-topic", true],
      ["produce-readings", false],
      ["consume-with-group", false],
    ]);
    expect(page.extensions).toMatchObject([{ itemKey: labKey, days: 3, reason: "Ill.", revokedAt: null }]);
  });

  it("a self-paced learner's page has items without dates and no extensions", async () => {
    at(readAt);
    const page = await (await teacherApi()).gradebook.learner({ scope: { courseId, selfPaced: true }, userId: people.eve.id });
    expect(page.items.map((i) => [i.key, i.done, i.dueAt, i.state])).toEqual([
      ["chapter:1", true, null, null],
      [labKey, false, null, null],
      ["chapter:2", false, null, null],
    ]);
    expect(page.extensions).toEqual([]);
    expect(page.timeline.events.map((e) => e.verb)).toEqual(["lesson_completed", "lesson_completed", "lesson_completed"]);
  });

  it("someone outside the scope is NOT_FOUND, even an existing member of another cohort", async () => {
    const api = await teacherApi();
    expect(await refusal(api.gradebook.learner({ scope: scope(), userId: people.eve.id }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.learner({ scope: { courseId, selfPaced: true }, userId: people.ben.id }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.learner({ scope: { cohortId: otherCohortId }, userId: people.ben.id }))).toBe("NOT_FOUND");
  });
});

describe("who may look", () => {
  it("a learner gets FORBIDDEN on the gradebook and at-risk list, NOT_FOUND on another learner's page", async () => {
    const ben = await people.ben.api();
    expect(await refusal(ben.gradebook.cohort({ scope: scope() }))).toBe("FORBIDDEN");
    expect(await refusal(ben.gradebook.atRisk({ scope: scope() }))).toBe("FORBIDDEN");
    expect(await refusal(ben.gradebook.cohort({ scope: { courseId, selfPaced: true } }))).toBe("FORBIDDEN");
    expect(await refusal(ben.gradebook.setThresholds({ cohortId, atRiskInactiveDays: 30 }))).toBe("FORBIDDEN");
    expect(await refusal(ben.gradebook.learner({ scope: scope(), userId: people.ada.id }))).toBe("NOT_FOUND");
    expect(await refusal(ben.gradebook.learner({ scope: scope(), userId: "no-such-user" }))).toBe("NOT_FOUND");
    expect(await refusal((await outsiderApi()).gradebook.learner({ scope: { cohortId: otherCohortId }, userId: people.ben.id }))).toBe("NOT_FOUND");
  });

  it("another organisation's owner gets NOT_FOUND for this cohort, course and learner", async () => {
    const stranger = await makeUser(db, "stranger");
    const theirs = await makeTenant(db, stranger.id);
    const api = await as(stranger.id, theirs.id);
    expect(await refusal(api.gradebook.cohort({ scope: scope() }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.cohort({ scope: { courseId, selfPaced: true } }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.atRisk({ scope: scope() }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.learner({ scope: scope(), userId: people.ben.id }))).toBe("NOT_FOUND");
    expect(await refusal(api.gradebook.setThresholds({ cohortId, atRiskInactiveDays: 30 }))).toBe("NOT_FOUND");
  });
});
