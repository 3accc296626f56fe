import { publishEdition } from "@cookbook/db/queries/courses";
import { enableCourse, enroll } from "@cookbook/db/queries/learning";
import { cohortMembers, cohorts, labSandboxes, learningEvents, lessonCompletions, memberships } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithCohorts, weeklyRule } from "../../testing/cohort-fixtures";
import { insertEndedSandbox, insertGradedAttempt } from "../../testing/lab-attempts";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const kafkaLesson = "21.5-how-to-produce-and-consume-messages";
const lab = "kafka-sensor-readings";

/** The tiny course with its chapter 2 lesson turned into the Kafka lab's lesson. */
function labCourse() {
  const course = tinyCourse();
  const lesson = course.course.parts[0]?.chapters[1]?.lessons[0];
  if (!lesson) throw new Error("tiny course changed");
  lesson.key = kafkaLesson;
  return course;
}

type Check = { passed: boolean; feedback: string; finding?: string };
/** One step's result: passed, or failed with the given failing checks. */
type Step = true | Check[];

const stepIds = ["create-topic", "produce-readings", "consume-with-group"] as const;

function grade(steps: Record<string, Step>) {
  return {
    labSlug: lab,
    labVersion: 1,
    score: 0,
    maxScore: 3,
    steps: Object.entries(steps).map(([stepId, s]) => ({
      stepId,
      title: `Title of ${stepId}`,
      passed: s === true,
      earned: s === true ? 1 : 0,
      points: 1,
      checks:
        s === true
          ? [{ kind: "command", description: "ok", passed: true, finding: "command.passed", feedback: "Fine.", timedOut: false }]
          : s.map((c) => ({ kind: "command", description: "d", timedOut: false, ...c })),
      hints: [],
    })),
  };
}

const offsets = (n: number, of: number): Check => ({
  passed: false,
  finding: "kafka-consumer-group.no-committed-offsets",
  feedback: `The group "readers" has committed ${n} of ${of} offsets.`,
});
const tooFew: Check = { passed: false, finding: "kafka-messages.too-few", feedback: "Found 10 messages; expected 96." };
const noGroup: Check = { passed: false, finding: "kafka-consumer-group.no-such-group", feedback: "No consumer group named readers." };
/** Attempts graded before finding codes: grouped by their feedback with the numbers taken out. */
const old = (n: number): Check => ({ passed: false, feedback: `The group has committed ${n} offsets` });

async function insertAttempts(tenantId: string, courseId: string, userId: string, attempts: Record<string, Step>[], startAt = Date.UTC(2027, 0, 4)) {
  const kafkaLab = { slug: lab, version: 1, lessonKey: kafkaLesson };
  const sandboxId = await insertEndedSandbox(db, { tenantId, userId, lab: kafkaLab, expiresAt: new Date(startAt) });
  let at = startAt;
  for (const steps of attempts) {
    at += 60_000;
    await insertGradedAttempt(db, {
      tenantId,
      userId,
      courseId,
      lab: kafkaLab,
      sandboxId,
      score: 0,
      maxScore: 3,
      result: grade(steps),
      createdAt: new Date(at),
    });
  }
}

/**
 * Cohort A: L1 passes consume-with-group on attempt 3, L2 passes everything first, L3 on
 * attempt 2, L4 never (old results without codes), the fixture's learner never tries. Cohort
 * B's learner and a self-paced learner have attempts that cohort A's figures must not count.
 */
async function labSetup() {
  const org = await orgWithCohorts({ db, as }, labCourse());
  const inA = async (name: string) => {
    const user = await org.member(name, "learner");
    await db
      .insert(cohortMembers)
      .values({ tenantId: org.tenant.id, cohortId: org.cohortA.id, courseId: org.courseId, userId: user.id, enrolledAt: new Date() });
    return user;
  };
  const [l1, l2, l3, l4] = [await inA("l1"), await inA("l2"), await inA("l3"), await inA("l4")];
  const put = (userId: string, attempts: Record<string, Step>[]) => insertAttempts(org.tenant.id, org.courseId, userId, attempts);
  await put(l1.id, [
    { "create-topic": true, "produce-readings": [tooFew], "consume-with-group": [offsets(0, 12)] },
    { "create-topic": true, "produce-readings": true, "consume-with-group": [offsets(3, 96)] },
    { "create-topic": true, "produce-readings": true, "consume-with-group": true },
  ]);
  // L2 also still has a step an older lab version had.
  await put(l2.id, [
    { "create-topic": true, "produce-readings": true, "consume-with-group": true, "old-step": [{ passed: false, feedback: "Gone." }] },
  ]);
  await put(l3.id, [
    { "create-topic": true, "produce-readings": [tooFew], "consume-with-group": [noGroup] },
    { "create-topic": true, "produce-readings": [tooFew], "consume-with-group": true },
  ]);
  await put(l4.id, [
    { "create-topic": [{ passed: false, feedback: "No topic." }], "produce-readings": [tooFew], "consume-with-group": [old(5)] },
    { "create-topic": true, "produce-readings": [tooFew], "consume-with-group": [old(17)] },
  ]);
  await put(org.otherLearner.id, [{ "create-topic": [noGroup], "produce-readings": [noGroup], "consume-with-group": [noGroup] }]);
  await withTenant(db, org.tenant.id, (tx) => enroll(tx, { tenantId: org.tenant.id, courseId: org.courseId, userId: org.outsider.id }));
  await put(org.outsider.id, [{ "create-topic": [{ passed: false, feedback: "No topic." }], "produce-readings": true, "consume-with-group": true }]);
  return org;
}

describe("insights.labFailures", () => {
  it("counts per step over the cohort's learners, with the median attempts to pass and findings grouped by code", async () => {
    const org = await labSetup();
    const result = await (await org.api(org.teacher)).insights.labFailures({ scope: { cohortId: org.cohortA.id } });
    expect(result.learners).toBe(5);
    expect(result.labs.map((l) => l.slug)).toEqual([lab]);
    const steps = result.labs[0]?.steps ?? [];
    expect(steps.map((s) => [s.stepId, s.current])).toEqual([...stepIds.map((id) => [id, true]), ["old-step", false]]);
    const counts = steps.map(({ stepId, attempted, passed, failedAtLeastOnce, failedFirst, medianAttemptsToPass }) => ({
      stepId,
      attempted,
      passed,
      failedAtLeastOnce,
      failedFirst,
      medianAttemptsToPass,
    }));
    expect(counts).toEqual([
      // Passes at attempts 1, 1, 1, 2.
      { stepId: "create-topic", attempted: 4, passed: 4, failedAtLeastOnce: 1, failedFirst: 1, medianAttemptsToPass: 1 },
      // Passes at 2 (L1) and 1 (L2): the median of two is their mean.
      { stepId: "produce-readings", attempted: 4, passed: 2, failedAtLeastOnce: 3, failedFirst: 3, medianAttemptsToPass: 1.5 },
      // Passes at 3, 1, 2.
      { stepId: "consume-with-group", attempted: 4, passed: 3, failedAtLeastOnce: 3, failedFirst: 3, medianAttemptsToPass: 2 },
      { stepId: "old-step", attempted: 1, passed: 0, failedAtLeastOnce: 1, failedFirst: 1, medianAttemptsToPass: null },
    ]);
    const consume = steps.find((s) => s.stepId === "consume-with-group");
    // Same code, different numbers: one group; old results merge by their feedback's template; ties by name.
    expect(consume?.topFindings).toEqual([
      { finding: "kafka-consumer-group.no-committed-offsets", example: 'The group "readers" has committed 3 of 96 offsets.', count: 2 },
      { finding: "The group has committed {n} offsets", example: "The group has committed 17 offsets", count: 2 },
      { finding: "kafka-consumer-group.no-such-group", example: "No consumer group named readers.", count: 1 },
    ]);
    expect(consume?.summary).toBe('consume-with-group: 3 of 4 failed first; most common: the group "readers" has committed 3 of 96 offsets');
    // Five failing results of one code (L3 and L4 twice each): no passed check counts.
    expect(steps.find((s) => s.stepId === "produce-readings")?.topFindings).toEqual([
      { finding: "kafka-messages.too-few", example: "Found 10 messages; expected 96.", count: 5 },
    ]);
    // Titles from the lab's definition; a retired step keeps the one its results carry.
    expect([steps[0]?.title, steps[3]?.title]).toEqual(["Create a topic with three partitions", "Title of old-step"]);
  });

  it("the self-paced scope counts only enrolled learners in no cohort", async () => {
    const org = await labSetup();
    const result = await (await org.api(org.owner)).insights.labFailures({ scope: { courseId: org.courseId, selfPaced: true } });
    expect(result.learners).toBe(1);
    const steps = result.labs[0]?.steps ?? [];
    expect(steps.map((s) => [s.stepId, s.attempted, s.passed, s.failedFirst])).toEqual([
      ["create-topic", 1, 0, 1],
      ["produce-readings", 1, 1, 0],
      ["consume-with-group", 1, 1, 0],
    ]);
    expect(steps[0]?.topFindings).toEqual([{ finding: "No topic.", example: "No topic.", count: 1 }]);
  });

  it("a scope without attempts lists every step with zeros", async () => {
    const org = await orgWithCohorts({ db, as }, labCourse());
    const result = await (await org.api(org.teacher)).insights.labFailures({ scope: { cohortId: org.cohortB.id } });
    expect(result.labs[0]?.steps.map((s) => [s.stepId, s.attempted, s.medianAttemptsToPass, s.topFindings, s.summary])).toEqual(
      stepIds.map((id) => [id, 0, null, [], `${id}: nobody has attempted it yet`]),
    );
  });

  it("learners are refused; a course the organisation lacks is not found", async () => {
    const org = await orgWithCohorts({ db, as }, labCourse());
    const learner = await org.api(org.learner);
    await expect(learner.insights.labFailures({ scope: { cohortId: org.cohortA.id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(learner.insights.organisation()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await org.api(org.teacher)).insights.organisation()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = tinyCourse();
    const { course } = await publishEdition(db, { courseSlug: other.slug, course: other.course });
    await expect((await org.api(org.owner)).insights.labFailures({ scope: { courseId: course.id, selfPaced: true } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect((await org.api(org.owner)).insights.labFailures({ scope: { cohortId: randomUUID() } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

/** A course of two parts: 1.1 and 1.2 in part 1, 3.1 in part 2. */
function twoPartCourse() {
  const course = tinyCourse();
  const part1 = course.course.parts[0];
  const lesson = part1?.chapters[1]?.lessons[0];
  if (!part1 || !lesson) throw new Error("tiny course changed");
  part1.chapters = part1.chapters.slice(0, 1);
  course.course.parts.push({
    number: 2,
    title: "Further",
    chapters: [{ number: 3, title: "More", slug: "more", intro: [], lessons: [{ ...lesson, key: "3.1-more", number: "3.1" }] }],
  });
  return course;
}

describe("insights.organisation", () => {
  it("weekly series zero-filled, roles, seats, live sandboxes and the funnel over parts", async () => {
    // Wednesday 10 March 2027: the current ISO week starts Monday 8 March.
    const at = new Date("2027-03-10T12:00:00Z");
    setClock(() => at);
    const owner = await makeUser(db, "org-owner");
    const tenant = await makeTenant(db, owner.id);
    const member = async (name: string, role: "instructor" | "learner") => {
      const user = await makeUser(db, name);
      await db.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role });
      return user;
    };
    await member("org-teacher", "instructor");
    const [u1, u2, u3, u4] = [
      await member("u1", "learner"),
      await member("u2", "learner"),
      await member("u3", "learner"),
      await member("u4", "learner"),
    ];
    const course = twoPartCourse();
    const { course: courseRow, version } = await publishEdition(db, { courseSlug: course.slug, course: course.course });
    const courseId = courseRow.id;
    await withTenant(db, tenant.id, async (tx) => {
      await enableCourse(tx, { tenantId: tenant.id, courseId, enabledBy: owner.id });
      for (const u of [u1, u2, u3, u4]) await enroll(tx, { tenantId: tenant.id, courseId, userId: u.id });
    });
    const done = (userId: string, lessonKey: string) =>
      db.insert(lessonCompletions).values({ tenantId: tenant.id, courseId, userId, lessonKey, contentHash: "h", completedAt: at });
    await done(u1.id, "1.1-hello");
    await done(u1.id, "3.1-more");
    await done(u2.id, "1.2-world");
    // U4 completed a lesson, then left the organisation: not in the funnel.
    await done(u4.id, "1.1-hello");
    await db.delete(memberships).where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, u4.id)));

    const event = (userId: string, verb: "lesson_viewed" | "lesson_completed" | "lab_started", occurredAt: string, tenantId = tenant.id) =>
      db.insert(learningEvents).values({ tenantId, userId, courseId, verb, lessonKey: "1.1-hello", occurredAt: new Date(occurredAt) });
    await event(u1.id, "lesson_viewed", "2027-03-09T10:00:00Z");
    await event(u1.id, "lesson_completed", "2027-03-09T10:05:00Z");
    await event(u2.id, "lesson_completed", "2027-03-08T00:00:00Z"); // the first instant of the current week
    await event(u2.id, "lesson_viewed", "2027-03-07T23:59:59Z"); // the last of the week before
    await event(u1.id, "lab_started", "2027-01-05T08:00:00Z");
    await event(u3.id, "lesson_completed", "2026-12-20T12:00:00Z"); // the Sunday before the 12 weeks
    const elsewhere = await makeTenant(db, u3.id);
    await event(u3.id, "lesson_completed", "2027-03-09T10:00:00Z", elsewhere.id);

    const sandbox = (id: string, state: "running" | "provisioning" | "failed" | "ended", times: { created: string; last: string; ended?: string }) =>
      db.insert(labSandboxes).values({
        id: `sb-org-${id}-${randomUUID().slice(0, 8)}`,
        tenantId: tenant.id,
        userId: u1.id,
        labSlug: lab,
        labVersion: 1,
        seed: "s",
        driver: "local",
        state,
        createdAt: new Date(times.created),
        lastActivityAt: new Date(times.last),
        endedAt: times.ended ? new Date(times.ended) : null,
        expiresAt: new Date("2027-03-11T00:00:00Z"),
      });
    // Ran 22:00 Sunday to 01:00 Monday (its last activity; it ended at 02:00): 2 h in one week, 1 h in the next.
    await sandbox("a", "ended", { created: "2027-03-07T22:00:00Z", last: "2027-03-08T01:00:00Z", ended: "2027-03-08T02:00:00Z" });
    // Live: 10:00 to its last activity at 11:30.
    await sandbox("b", "running", { created: "2027-03-10T10:00:00Z", last: "2027-03-10T11:30:00Z" });
    await sandbox("c", "provisioning", { created: "2027-03-10T11:59:00Z", last: "2027-03-10T11:59:00Z" });
    await sandbox("d", "failed", { created: "2027-03-10T11:00:00Z", last: "2027-03-10T11:00:00Z", ended: "2027-03-10T11:00:00Z" });

    const cohort = async (name: string, seatLimit: number | null, learners: { id: string }[]) => {
      const [row] = await db
        .insert(cohorts)
        .values({
          tenantId: tenant.id,
          courseId,
          courseVersionId: version.id,
          name,
          startDate: "2027-01-04",
          endDate: "2027-04-30",
          timeZone: "UTC",
          seatLimit,
          rule: weeklyRule,
        })
        .returning();
      if (!row) throw new Error("no cohort");
      for (const l of learners)
        await db.insert(cohortMembers).values({ tenantId: tenant.id, cohortId: row.id, courseId, userId: l.id, enrolledAt: at });
      return row;
    };
    const c1 = await cohort("Cohort 1", 10, [u1, u2]);
    const c2 = await cohort("Cohort 2", null, []);

    const result = await (await as(owner.id, tenant.id)).insights.organisation();
    const weeks = result.activeLearnersPerWeek.map((w) => w.weekStart);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]).toBe("2026-12-21");
    expect(weeks.at(-1)).toBe("2027-03-08");
    const nonZero = (series: { weekStart: string; value: number }[]) =>
      Object.fromEntries(series.filter((w) => w.value !== 0).map((w) => [w.weekStart, w.value]));
    expect(nonZero(result.activeLearnersPerWeek)).toEqual({ "2027-01-04": 1, "2027-03-01": 1, "2027-03-08": 2 });
    expect(nonZero(result.completionsPerWeek)).toEqual({ "2027-03-08": 2 });
    expect(result.completionsPerWeek.map((w) => w.weekStart)).toEqual(weeks);
    expect(nonZero(result.labHoursPerWeek)).toEqual({ "2027-03-01": 2, "2027-03-08": 2.5 });
    expect(result.membersPerRole).toEqual({ owner: 1, instructor: 1, learner: 3 });
    expect(result.cohortSeats).toEqual([
      { cohortId: c1.id, name: "Cohort 1", used: 2, limit: 10 },
      { cohortId: c2.id, name: "Cohort 2", used: 0, limit: null },
    ]);
    expect(result.sandboxesRunning).toBe(2);
    expect(result.completionFunnel).toEqual([
      {
        courseId,
        title: "Tiny Course",
        enrolled: 3,
        parts: [
          { partNumber: 1, title: "Basics", learners: 2, share: 2 / 3 },
          { partNumber: 2, title: "Further", learners: 1, share: 1 / 3 },
        ],
      },
    ]);
  });
});
