import { labsForLesson } from "@cookbook/content/labs";
import { listLabAttemptTimes } from "@cookbook/db/queries/cohort-plan";
import { getChapter, getOutline, listCourses } from "@cookbook/db/queries/courses";
import {
  completeLesson,
  enableCourse,
  enroll,
  getEnrollment,
  listCompletions,
  listEnabledCourses,
  progressByMember,
  recordVisit,
  uncompleteLesson,
} from "@cookbook/db/queries/learning";
import { recordEvent } from "@cookbook/db/queries/learning-events";
import { summarizeProgress } from "@cookbook/db/progress-summary";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cohortView, learnerPlan, lockedView, refuseUnlessOpen, scheduleView } from "~/server/cohorts/learner-plan";
import { now } from "~/server/clock";
import { bestBySlug, type LabBest, lessonLabMarks } from "~/server/labs/lab-progress";
import {
  courseId,
  courseOrNotFound,
  courseSlug,
  learnerVersion,
  lessonKey,
  lessonOrNotFound,
  lessonWithNeighboursOrNotFound,
} from "../course-access";
import { createTRPCRouter, notFound, orgProcedure, roleProcedure } from "../trpc";

/** The learner's best attempt at each lab of the course, in one query; none asked when the lessons have no labs. */
async function labBests(
  tx: TenantTx,
  scope: { tenantId: string; courseId: string; userId: string },
  lessons: readonly { key: string }[],
): Promise<ReadonlyMap<string, LabBest>> {
  if (!lessons.some((l) => labsForLesson(l.key).length > 0)) return new Map();
  return bestBySlug(await listLabAttemptTimes(tx, { tenantId: scope.tenantId, courseId: scope.courseId, userIds: [scope.userId] }));
}

export const coursesRouter = createTRPCRouter({
  /** The platform catalogue, with what this organisation has enabled. */
  catalogue: roleProcedure("owner").query(({ ctx }) =>
    ctx.scoped(async (tx) => {
      const enabled = new Set((await listEnabledCourses(tx, { tenantId: ctx.tenant.tenantId })).map((c) => c.id));
      return (await listCourses(tx)).map((c) => ({ id: c.id, slug: c.slug, title: c.title, enabled: enabled.has(c.id) }));
    }),
  ),

  enable: roleProcedure("owner")
    .input(z.object({ courseId }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const all = await listCourses(tx);
        if (!all.some((c) => c.id === input.courseId)) throw notFound("Course");
        await enableCourse(tx, { tenantId: ctx.tenant.tenantId, courseId: input.courseId, enabledBy: ctx.user.id });
        return { ok: true as const };
      }),
    ),

  /** Courses of the active organisation with the caller's own progress. */
  list: orgProcedure.query(({ ctx }) =>
    ctx.scoped(async (tx) => {
      const courses = await listEnabledCourses(tx, { tenantId: ctx.tenant.tenantId });
      // One transaction is one connection: its queries run one after another either way.
      const listed = [];
      for (const course of courses) {
        const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
        const version = await learnerVersion(tx, scope);
        const enrollment = await getEnrollment(tx, scope);
        const summary = version ? summarizeProgress(await getOutline(tx, version.id), await listCompletions(tx, scope)) : null;
        listed.push({
          ...course,
          edition: version?.edition ?? null,
          enrolled: enrollment !== null,
          lastLessonKey: enrollment?.lastLessonKey ?? null,
          completed: summary?.completed ?? 0,
          total: summary?.total ?? 0,
          percent: summary?.percent ?? 0,
        });
      }
      return listed;
    }),
  ),

  enroll: orgProcedure.input(z.object({ courseId })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, id: input.courseId });
      await enroll(tx, { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id });
      return { ok: true as const };
    }),
  ),

  outline: orgProcedure.input(z.object({ courseSlug })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, slug: input.courseSlug });
      const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
      const plan = await learnerPlan(tx, { ...scope, now: now() });
      const outline = await getOutline(tx, version.id);
      const completions = await listCompletions(tx, scope);
      const enrollment = await getEnrollment(tx, scope);
      const summary = summarizeProgress(outline, completions);
      const lessons = summary.chapters.flatMap((c) => c.lessons);
      const best = await labBests(tx, scope, lessons);
      // "Continue" resumes at the last lesson visited, else the first lesson not yet done.
      const continueKey =
        (enrollment?.lastLessonKey && lessons.some((l) => l.key === enrollment.lastLessonKey) ? enrollment.lastLessonKey : null) ??
        lessons.find((l) => l.status === "not_started")?.key ??
        lessons[0]?.key ??
        null;
      return {
        course,
        edition: version.edition,
        enrolled: enrollment !== null,
        continueKey,
        ...summary,
        // A cohort learner's dates per chapter; null for self-paced learners and for chapters with nothing to complete.
        // Each lesson's labs with the learner's best score in each (none for a lesson without labs).
        chapters: summary.chapters.map((c) => ({
          ...c,
          lessons: c.lessons.map((l) => ({ ...l, labs: lessonLabMarks(l.key, best) })),
          schedule: scheduleView(plan?.chapter(c.number)),
        })),
        cohort: cohortView(plan),
      };
    }),
  ),

  lesson: orgProcedure.input(z.object({ courseSlug, lessonKey })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, slug: input.courseSlug });
      const found = await lessonWithNeighboursOrNotFound(tx, { versionId: version.id, lessonKey: input.lessonKey });
      const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
      const plan = await learnerPlan(tx, { ...scope, now: now() });
      // Before its chapter opens, a cohort learner gets the lesson's place in the course but not its text.
      const item = plan?.chapter(found.lesson.chapterNumber);
      const locked = lockedView(plan, item);
      const completions = await listCompletions(tx, scope);
      const enrollment = await getEnrollment(tx, scope);
      const completion = completions.find((c) => c.lessonKey === found.lesson.key);
      const status = !completion ? "not_started" : completion.contentHash === found.lesson.contentHash ? "completed" : "updated";
      const doneKeys = new Set(completions.map((c) => c.lessonKey));
      return {
        course,
        edition: version.edition,
        enrolled: enrollment !== null,
        status,
        lesson: locked ? { ...found.lesson, blocks: [] } : found.lesson,
        locked,
        cohort: cohortView(plan),
        /** The chapter's dates and standing for a cohort learner; null when self-paced or the chapter has none. */
        schedule: scheduleView(item),
        chapter: found.chapter,
        chapterLessons: found.chapterLessons.map((l) => ({ ...l, done: doneKeys.has(l.key) })),
        previous: found.previous,
        next: found.next,
      };
    }),
  ),

  /** A chapter's own introduction (some chapters have text but no numbered sections) and its lessons. */
  chapter: orgProcedure.input(z.object({ courseSlug, chapterNumber: z.number().int().min(1).max(999) })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, slug: input.courseSlug });
      const found = await getChapter(tx, version.id, input.chapterNumber);
      if (!found) throw notFound("Chapter");
      const plan = await learnerPlan(tx, { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id, now: now() });
      const item = plan?.chapter(found.chapter.number);
      const locked = lockedView(plan, item);
      const best = await labBests(tx, { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id }, found.lessons);
      return {
        course,
        edition: version.edition,
        ...found,
        lessons: found.lessons.map((l) => ({ ...l, labs: lessonLabMarks(l.key, best) })),
        chapter: locked ? { ...found.chapter, intro: [] } : found.chapter,
        locked,
        cohort: cohortView(plan),
        schedule: scheduleView(item),
      };
    }),
  ),

  /** Remembers where the learner is, for "Continue", and records the view (the one source of "viewed": not a page render). */
  visit: orgProcedure.input(z.object({ courseId, lessonKey })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, id: input.courseId });
      const lesson = await lessonOrNotFound(tx, { versionId: version.id, lessonKey: input.lessonKey });
      const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
      await recordVisit(tx, { ...scope, lessonKey: lesson.key });
      await recordEvent(tx, { ...scope, verb: "lesson_viewed", lessonKey: lesson.key, occurredAt: now() });
      return { ok: true as const };
    }),
  ),

  setLessonComplete: orgProcedure.input(z.object({ courseId, lessonKey, complete: z.boolean() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, id: input.courseId });
      const lesson = await lessonOrNotFound(tx, { versionId: version.id, lessonKey: input.lessonKey });
      const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
      if (!(await getEnrollment(tx, scope))) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Enroll in the course to track your progress." });
      }
      const at = now();
      const plan = await learnerPlan(tx, { ...scope, now: at });
      // Both ways: un-completing a closed chapter would rewrite when it was done.
      if (plan) refuseUnlessOpen(plan, plan.chapterOf(lesson.key));
      if (input.complete) {
        const { inserted } = await completeLesson(tx, { ...scope, lessonKey: lesson.key, contentHash: lesson.contentHash, completedAt: at });
        // Completing a completed lesson again (or refreshing an updated one) is no new completion.
        if (inserted) await recordEvent(tx, { ...scope, verb: "lesson_completed", lessonKey: lesson.key, occurredAt: at });
      } else await uncompleteLesson(tx, { ...scope, lessonKey: lesson.key });
      return { ok: true as const, complete: input.complete };
    }),
  ),

  /** The instructor's dashboard: every member's progress in one course. */
  progress: roleProcedure("instructor")
    .input(z.object({ courseId }))
    .query(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, id: input.courseId });
        const outline = await getOutline(tx, version.id);
        const total = outline.reduce((n, c) => n + c.lessons.length, 0);
        const members = await progressByMember(tx, { tenantId: ctx.tenant.tenantId, courseId: course.id, versionId: version.id });
        return { course, edition: version.edition, total, members };
      }),
    ),
});
