import { publishEdition } from "@cookbook/db/queries/courses";
import { enroll } from "@cookbook/db/queries/learning";
import { labSandboxes, lessonCompletions } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithCohorts } from "../../testing/cohort-fixtures";
import { insertGradedAttempt } from "../../testing/lab-attempts";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const kafkaLesson = "21.5-how-to-produce-and-consume-messages";

/** Chapter 1: an outline-only heading, 1.1 and 1.2; chapter 2: the Kafka lab's lesson. */
function labCourse() {
  const course = tinyCourse();
  const [chapter1, chapter2] = course.course.parts[0]?.chapters ?? [];
  const lesson = chapter2?.lessons[0];
  const first = chapter1?.lessons[0];
  if (!chapter1 || !lesson || !first) throw new Error("tiny course changed");
  lesson.key = kafkaLesson;
  chapter1.lessons.unshift({ ...first, key: "1.0-overview", number: "1.0", title: "Overview", outline: true, blocks: [] });
  return course;
}

const step = (stepId: string, passed: boolean, feedback: string) => ({
  stepId,
  title: stepId,
  passed,
  earned: passed ? 2 : 0,
  points: 2,
  checks: [{ kind: "command", description: "d", passed, finding: passed ? "command.passed" : "command.wrong-output", feedback, timedOut: false }],
  hints: [],
});

async function setup() {
  const org = await orgWithCohorts({ db, as }, labCourse());
  const tenantId = org.tenant.id;
  for (const userId of [org.learner.id, org.outsider.id])
    await withTenant(db, tenantId, (tx) => enroll(tx, { tenantId, courseId: org.courseId, userId }));
  const sandbox = async (userId: string, labSlug: string, times: { created: string; last: string; ended?: string }) => {
    const id = `sb-mine-${randomUUID().slice(0, 12)}`;
    await db.insert(labSandboxes).values({
      id,
      tenantId,
      userId,
      labSlug,
      labVersion: 1,
      seed: "s",
      driver: "local",
      state: times.ended ? "ended" : "running",
      createdAt: new Date(times.created),
      lastActivityAt: new Date(times.last),
      endedAt: times.ended ? new Date(times.ended) : null,
      expiresAt: new Date("2027-01-01T00:00:00Z"),
    });
    return id;
  };
  const attempt = (userId: string, sandboxId: string, at: string, steps: ReturnType<typeof step>[]) =>
    insertGradedAttempt(db, {
      tenantId,
      userId,
      courseId: org.courseId,
      lab: { slug: "kafka-sensor-readings", version: 1, lessonKey: kafkaLesson },
      sandboxId,
      score: steps.reduce((n, s) => n + s.earned, 0),
      maxScore: 6,
      result: { labSlug: "kafka-sensor-readings", labVersion: 1, score: 0, maxScore: 6, steps },
      createdAt: new Date(at),
    });
  return { org, tenantId, sandbox, attempt };
}

describe("myProgress.dashboard", () => {
  it("the caller's chapters, attempts newest first, due and late items, and minutes in labs", async () => {
    const { org, tenantId, sandbox, attempt } = await setup();
    const me = org.learner.id;
    // Chapter 1 (opens Mon 7 Dec 09:00 Berlin, due 13 Dec 09:00 = 08:00 UTC) completed on the 14th: done, late.
    for (const lessonKey of ["1.1-hello", "1.2-world"])
      await db
        .insert(lessonCompletions)
        .values({ tenantId, courseId: org.courseId, userId: me, lessonKey, contentHash: "h", completedAt: new Date("2026-12-14T10:00:00Z") });
    // 40 min 20 s: it ended at 11:00, but its last activity was 10:40:20.
    const kafka = await sandbox(me, "kafka-sensor-readings", {
      created: "2026-12-15T10:00:00Z",
      last: "2026-12-15T10:40:20Z",
      ended: "2026-12-15T11:00:00Z",
    });
    // Live: 29 min 50 s to its last activity.
    await sandbox(me, "kafka-sensor-readings", { created: "2026-12-21T11:00:00Z", last: "2026-12-21T11:29:50Z" });
    // 29 s: it ended before the activity it last recorded.
    await sandbox(me, "hdfs-blocks-and-replication", {
      created: "2026-12-16T09:00:00Z",
      last: "2026-12-16T09:10:00Z",
      ended: "2026-12-16T09:00:29Z",
    });
    await attempt(me, kafka, "2026-12-15T10:10:00Z", [step("create-topic", false, "No topic named readings.")]);
    await attempt(me, kafka, "2026-12-15T10:30:00Z", [
      step("create-topic", true, "Fine."),
      step("produce-readings", false, "Found 3 messages; expected 96."),
    ]);
    // Someone else's work is never in the caller's dashboard.
    const theirs = await sandbox(org.otherLearner.id, "kafka-sensor-readings", { created: "2026-12-15T10:00:00Z", last: "2026-12-15T12:00:00Z" });
    await attempt(org.otherLearner.id, theirs, "2026-12-15T10:20:00Z", [step("create-topic", true, "Fine.")]);

    // Monday 21 December, 12:00 UTC: chapter 2 (due 20 Dec 09:00 Berlin) and its lab are past due.
    setClock(() => new Date("2026-12-21T12:00:00Z"));
    const result = await (await org.api(org.learner)).myProgress.dashboard({});
    if (!result.course) throw new Error("no course picked");
    expect(result.courses.map((c) => c.id)).toEqual([org.courseId]);
    expect(result.course.id).toBe(org.courseId);
    // The outline-only heading is no lesson to complete.
    expect(result.chapters.map(({ number, completed, total }) => ({ number, completed, total }))).toEqual([
      { number: 1, completed: 2, total: 2 },
      { number: 2, completed: 0, total: 1 },
    ]);
    expect([result.completed, result.total]).toEqual([2, 3]);
    expect(result.attempts.map((a) => [a.createdAt, a.score, a.labTitle])).toEqual([
      ["2026-12-15T10:30:00.000Z", 2, "Produce and consume sensor readings with Kafka"],
      ["2026-12-15T10:10:00.000Z", 0, "Produce and consume sensor readings with Kafka"],
    ]);
    expect(result.attempts[0]?.steps.map((s) => [s.stepId, s.passed, s.earned, s.points, s.checks[0]?.feedback])).toEqual([
      ["create-topic", true, 2, 2, "Fine."],
      ["produce-readings", false, 0, 2, "Found 3 messages; expected 96."],
    ]);
    expect(result.schedule?.cohortId).toBe(org.cohortA.id);
    expect(result.schedule?.due.map((i) => [i.key, i.dueAt, i.overdue])).toEqual([
      ["chapter:2", "2026-12-20T08:00:00.000Z", true],
      ["lab:kafka-sensor-readings", "2026-12-20T08:00:00.000Z", true],
    ]);
    expect(result.schedule?.due[1]?.path).toBe(`/courses/${org.course.slug}/${kafkaLesson}`);
    expect(result.schedule?.late.map((i) => [i.key, i.dueAt, i.done])).toEqual([["chapter:1", "2026-12-13T08:00:00.000Z", true]]);
    // 40:20 + 29:50 + 0:29 = 70:39, rounded once on the total; per lab 70:10 and 0:29.
    expect(result.labTime).toEqual({
      minutes: 71,
      labs: [
        { labSlug: "hdfs-blocks-and-replication", title: expect.any(String), minutes: 0 },
        { labSlug: "kafka-sensor-readings", title: "Produce and consume sensor readings with Kafka", minutes: 70 },
      ],
    });
  });

  it("a self-paced learner has no schedule; someone enrolled nowhere gets no course", async () => {
    const { org } = await setup();
    const selfPaced = await (await org.api(org.outsider)).myProgress.dashboard({ courseId: org.courseId });
    expect(selfPaced.course?.id).toBe(org.courseId);
    expect(selfPaced).toMatchObject({ schedule: null, attempts: [], completed: 0, total: 3, labTime: { minutes: 0, labs: [] } });
    expect(await (await org.api(org.otherTeacher)).myProgress.dashboard({})).toEqual({ courses: [], course: null });
  });

  it("a course the organisation does not have is not found", async () => {
    const { org } = await setup();
    const other = tinyCourse();
    const { course } = await publishEdition(db, { courseSlug: other.slug, course: other.course });
    await expect((await org.api(org.learner)).myProgress.dashboard({ courseId: course.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await org.api(org.learner)).myProgress.dashboard({ courseId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
