import { findLab, labs } from "@cookbook/content/labs";
import { enroll } from "@cookbook/db/queries/learning";
import { labHintReveals } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock";
import { loadApi, tinyCourse } from "../../testing/api-client";
import { orgWithCohorts } from "../../testing/cohort-fixtures";
import { insertGradedAttempt } from "../../testing/lab-attempts";

const { db, pool, as } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const kafka = findLab("kafka-sensor-readings");
const early = labs.find((l) => l.slug !== kafka?.slug && l.lessonKey !== kafka?.lessonKey);
if (!kafka || !early) throw new Error("the catalogue needs the Kafka lab and another");
const kafkaLab = kafka;
const earlyLab = early;
const maxOf = (lab: typeof kafkaLab) => lab.steps.reduce((n, s) => n + s.points, 0);

/** Chapter 1 has another lab's lesson after 1.1 and 1.2; chapter 2 is the Kafka lab's lesson. */
function labCourse() {
  const course = tinyCourse();
  const [chapter1, chapter2] = course.course.parts[0]?.chapters ?? [];
  const first = chapter1?.lessons[0];
  const second = chapter2?.lessons[0];
  if (!chapter1 || !first || !second) throw new Error("tiny course changed");
  chapter1.lessons.push({ ...first, key: earlyLab.lessonKey, number: "1.3", slug: "early-lab", title: "Early lab", contentHash: "early" });
  second.key = kafkaLab.lessonKey;
  second.title = "Produce and consume";
  return course;
}

/** The grader's result for the Kafka lab: the steps at `failing` did not pass (their hints come from the lab). */
function kafkaResult(failing: number[]) {
  const steps = kafkaLab.steps.map((s, i) => ({
    stepId: s.id,
    title: s.title,
    passed: !failing.includes(i),
    earned: failing.includes(i) ? 0 : s.points,
    points: s.points,
    checks: [
      {
        kind: "command",
        description: "d",
        passed: !failing.includes(i),
        finding: failing.includes(i) ? "command.wrong-output" : "command.passed",
        feedback: "f",
        timedOut: false,
      },
    ],
    hints: [],
  }));
  const score = steps.reduce((n, s) => n + s.earned, 0);
  return {
    score,
    maxScore: maxOf(kafkaLab),
    result: { labSlug: kafkaLab.slug, labVersion: kafkaLab.version, score, maxScore: maxOf(kafkaLab), steps },
  };
}

async function setup() {
  const org = await orgWithCohorts({ db, as }, labCourse());
  const tenantId = org.tenant.id;
  for (const user of [org.learner, org.outsider])
    await withTenant(db, tenantId, (tx) => enroll(tx, { tenantId, courseId: org.courseId, userId: user.id }));
  const attempt = async (user: { id: string }, lab: typeof kafkaLab, graded: { score: number; maxScore: number; result: unknown }, day = 8) =>
    insertGradedAttempt(db, { tenantId, userId: user.id, courseId: org.courseId, lab, createdAt: new Date(Date.UTC(2026, 11, day, 10)), ...graded });
  return { ...org, attempt };
}

describe("labs.catalog and the outline's lab marks", () => {
  it("lists the course's labs in book order with a self-paced learner's standing in each", async () => {
    const org = await setup();
    const api = await org.api(org.outsider);
    const before = await api.labs.catalog({ courseSlug: org.course.slug });
    expect(before.cohort).toBeNull();
    expect(before.labs.map((l) => [l.lesson.key, l.lab.slug, l.status])).toEqual([
      [earlyLab.lessonKey, earlyLab.slug, "not_started"],
      [kafkaLab.lessonKey, kafkaLab.slug, "not_started"],
    ]);
    expect(before.labs[1]).toMatchObject({
      lesson: { number: "2.1", title: "Produce and consume", chapterNumber: 2 },
      lab: { title: kafkaLab.title, services: [...kafkaLab.services], steps: kafkaLab.steps.length, maxScore: maxOf(kafkaLab) },
      attempts: 0,
      best: null,
      schedule: null,
    });

    await org.attempt(org.outsider, kafkaLab, kafkaResult([1, 2]));
    await org.attempt(org.outsider, kafkaLab, kafkaResult([2]), 9);
    const partial = kafkaResult([2]);
    const kafkaRow = (await api.labs.catalog({ courseSlug: org.course.slug })).labs[1];
    expect(kafkaRow).toMatchObject({ status: "in_progress", attempts: 2, best: { score: partial.score, maxScore: partial.maxScore } });
    let outline = await api.courses.outline({ courseSlug: org.course.slug });
    const marks = outline.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.labs] as const));
    expect(marks).toEqual([
      ["1.1-hello", []],
      ["1.2-world", []],
      [earlyLab.lessonKey, [{ slug: earlyLab.slug, title: earlyLab.title, best: null }]],
      [kafkaLab.lessonKey, [{ slug: kafkaLab.slug, title: kafkaLab.title, best: { score: partial.score, maxScore: partial.maxScore, done: false } }]],
    ]);

    await org.attempt(org.outsider, kafkaLab, kafkaResult([]), 10);
    expect((await api.labs.catalog({ courseSlug: org.course.slug })).labs[1]).toMatchObject({
      status: "done",
      attempts: 3,
      best: { score: maxOf(kafkaLab), maxScore: maxOf(kafkaLab) },
    });
    outline = await api.courses.outline({ courseSlug: org.course.slug });
    expect(outline.chapters[1]?.lessons[0]?.labs[0]?.best).toEqual({ score: maxOf(kafkaLab), maxScore: maxOf(kafkaLab), done: true });
    const chapter = await api.courses.chapter({ courseSlug: org.course.slug, chapterNumber: 2 });
    expect(chapter.lessons[0]?.labs[0]?.best?.done).toBe(true);
    // Another learner's attempts are not this learner's marks.
    const mine = await (await org.api(org.learner)).labs.catalog({ courseSlug: org.course.slug });
    expect(mine.labs.map((l) => l.attempts)).toEqual([0, 0]);
  });

  it("shows a cohort learner's lab as locked until their schedule opens it", async () => {
    const org = await setup();
    // Chapter 1 opened on Monday 7 December; chapter 2 (the Kafka lab's) opens on the 14th.
    setClock(() => new Date("2026-12-08T12:00:00Z"));
    const catalog = await (await org.api(org.learner)).labs.catalog({ courseSlug: org.course.slug });
    expect(catalog.cohort?.timeZone).toBe("Europe/Berlin");
    const [first, second] = catalog.labs;
    expect(first?.status).toBe("not_started");
    expect(first?.schedule?.state).toBe("open");
    expect(second?.status).toBe("locked");
    expect(second?.schedule?.state).toBe("locked");
    expect(new Date(second?.schedule?.opensAt ?? 0).getTime()).toBeGreaterThan(new Date("2026-12-08T12:00:00Z").getTime());
  });

  it("answers NOT_FOUND for a course the organisation has not enabled", async () => {
    const org = await setup();
    const other = await setup();
    await expect((await org.api(org.outsider)).labs.catalog({ courseSlug: other.course.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("labs.revealHint", () => {
  const failedStep = 1;
  const hintsOf = (i: number) => kafkaLab.steps[i]?.hints ?? [];

  it("records each revealed hint once, at the app's clock, and the gradebook counts them", async () => {
    const org = await setup();
    const attempt = await org.attempt(org.outsider, kafkaLab, kafkaResult([failedStep]));
    const stepId = kafkaLab.steps[failedStep]?.id ?? "";
    const hints = hintsOf(failedStep);
    expect(hints.length).toBeGreaterThan(1);
    const at = new Date("2026-12-08T11:00:00Z");
    setClock(() => at);
    const api = await org.api(org.outsider);
    expect(await api.labs.revealHint({ attemptId: attempt.id, stepId, hintIndex: 0 })).toEqual({ recorded: true });
    expect(await api.labs.revealHint({ attemptId: attempt.id, stepId, hintIndex: 0 })).toEqual({ recorded: false });
    const last = hints.length - 1;
    expect(await api.labs.revealHint({ attemptId: attempt.id, stepId, hintIndex: last })).toEqual({ recorded: true });
    const rows = await db.select().from(labHintReveals).where(eq(labHintReveals.attemptId, attempt.id));
    expect(rows.map((r) => [r.tenantId, r.stepId, r.hintIndex, r.revealedAt.toISOString()]).sort()).toEqual(
      [
        [org.tenant.id, stepId, 0, at.toISOString()],
        [org.tenant.id, stepId, last, at.toISOString()],
      ].sort(),
    );

    const book = await (await org.api(org.owner)).gradebook.learner({ scope: { courseId: org.courseId, selfPaced: true }, userId: org.outsider.id });
    expect(book.attempts).toEqual([expect.objectContaining({ id: attempt.id, hints: { used: 2, answers: 1 } })]);
  });

  it("refuses a hint the step does not have with BAD_REQUEST, and stores nothing", async () => {
    const org = await setup();
    const attempt = await org.attempt(org.outsider, kafkaLab, kafkaResult([failedStep]));
    const api = await org.api(org.outsider);
    const reveal = (stepId: string, hintIndex: number) => api.labs.revealHint({ attemptId: attempt.id, stepId, hintIndex });
    const failed = kafkaLab.steps[failedStep]?.id ?? "";
    const passed = kafkaLab.steps[0]?.id ?? "";
    await expect(reveal(failed, hintsOf(failedStep).length)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A passed step offers no hints; a step the attempt does not have, none either.
    await expect(reveal(passed, 0)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(reveal("no-such-step", 0)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(reveal(failed, -1)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.select().from(labHintReveals).where(eq(labHintReveals.attemptId, attempt.id))).toEqual([]);
  });

  it("answers NOT_FOUND for another learner's attempt (instructors included) and another organisation's, and stores nothing", async () => {
    const org = await setup();
    const other = await setup();
    const attempt = await org.attempt(org.outsider, kafkaLab, kafkaResult([failedStep]));
    const input = { attemptId: attempt.id, stepId: kafkaLab.steps[failedStep]?.id ?? "", hintIndex: 0 };
    for (const api of [await org.api(org.learner), await org.api(org.owner), await other.api(other.owner), await other.api(other.outsider)]) {
      await expect(api.labs.revealHint(input)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(
      (await org.api(org.outsider)).labs.revealHint({ ...input, attemptId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.select().from(labHintReveals).where(eq(labHintReveals.attemptId, attempt.id))).toEqual([]);
  });
});
