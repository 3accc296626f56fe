import { findLab, type Lab, labsCompleteLesson, labsForLesson } from "@cookbook/content/labs";
import { listLabAttemptTimes } from "@cookbook/db/queries/cohort-plan";
import { findLesson, getOutline } from "@cookbook/db/queries/courses";
import {
  attemptSummary,
  findAttempt,
  findSandbox,
  labScoresByMember,
  latestSandbox,
  listLiveSandboxes,
  recordAttempt,
  recordHintReveal,
  type LabSandboxRow,
} from "@cookbook/db/queries/labs";
import { completeLesson, getEnrollment } from "@cookbook/db/queries/learning";
import { recordEvent, recordEvents, type LearningEventInput } from "@cookbook/db/queries/learning-events";
import { LabRunnerError } from "@cookbook/lab-runner-api/client";
import type { SandboxView } from "@cookbook/lab-runner-api/contract";
import { signTerminalToken } from "@cookbook/lab-runner-api/terminal-token";
import { sandboxIdSchema, sandboxStartingMessage } from "@cookbook/lab-runner-api/vocabulary";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { now } from "~/server/clock";
import { cohortView, learnerPlan, refuseIfClosed, refuseUnlessOpen, scheduleView } from "~/server/cohorts/learner-plan";
import { labSlug } from "~/server/dashboards/gradebook";
import { labRunner, labRunnerGrading, labRunnerPublicUrl, labRunnerSecret } from "~/server/labs/lab-runner";
import { callLabRunner, toTRPCError } from "~/server/labs/lab-runner-errors";
import { bestBySlug, labStatus } from "~/server/labs/lab-progress";
import {
  attemptInfo,
  attemptStepHints,
  publicLab,
  sandboxInfo,
  sandboxInfoFromRow,
  type SandboxInfo,
  withoutInstructions,
} from "~/server/labs/lab-views";
import { courseId, courseOrNotFound, courseSlug, lessonKey, lessonOrNotFound } from "../course-access";
import { createTRPCRouter, notFound, orgProcedure, roleProcedure } from "../trpc";

const sandboxId = z.string().trim().pipe(sandboxIdSchema);

/** How long the browser has to open the terminal with the URL it was given. */
const TERMINAL_TOKEN_MS = 2 * 60_000;

type OrgCtx = { user: { id: string }; tenant: { tenantId: string; role: string } };

/**
 * The sandbox, if the caller may see it: its learner, or (read-only) the organisation's
 * instructors and owners. Anyone else, in this tenant or another, gets NOT_FOUND.
 */
function visibleOrNotFound(ctx: OrgCtx, row: LabSandboxRow | null): LabSandboxRow & { mine: boolean } {
  if (!row || row.tenantId !== ctx.tenant.tenantId) throw notFound("Lab sandbox");
  const mine = row.userId === ctx.user.id;
  if (!mine && ctx.tenant.role === "learner") throw notFound("Lab sandbox");
  return { ...row, mine };
}

/** Using a sandbox (terminal, checks, stopping) is for its learner alone. */
function ownedOrRefused(ctx: OrgCtx, row: LabSandboxRow | null): LabSandboxRow {
  const visible = visibleOrNotFound(ctx, row);
  if (!visible.mine) throw new TRPCError({ code: "FORBIDDEN", message: "Only the learner who started this lab can use it." });
  return visible;
}

const servicesOf = (labSlug: string) => findLab(labSlug)?.services ?? [];

/** The live view from lab-runner; an ended sandbox is answered from Postgres alone. */
async function liveInfo(row: LabSandboxRow, tenantId: string): Promise<SandboxInfo> {
  if (row.state === "ended") return sandboxInfoFromRow(row);
  let view: SandboxView;
  try {
    view = await labRunner().get(row.id);
  } catch (error) {
    // lab-runner no longer knows it: what Postgres says is all there is.
    if (error instanceof LabRunnerError && error.code === "SANDBOX_NOT_FOUND") return sandboxInfoFromRow(row);
    throw toTRPCError(error);
  }
  if (view.tenantId !== tenantId) throw notFound("Lab sandbox");
  return sandboxInfo(view, servicesOf(row.labSlug));
}

/** A refusal as the page shows it beside otherwise good data. */
const runnerMessageOf = (error: unknown) =>
  error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR" ? error.message : "The lab service could not be asked.";

type LessonLabRows = {
  lab: Lab;
  sandbox: LabSandboxRow | null;
  attempts: Awaited<ReturnType<typeof attemptSummary>>;
  schedule: ReturnType<typeof scheduleView>;
};

/** One lab of a lesson as the learner sees it, its sandbox asked of lab-runner (a refusal becomes `runnerMessage`). */
async function lessonLabView(
  shared: { courseId: string; lessonKey: string; enrolled: boolean; tenantId: string },
  { lab, sandbox, attempts, schedule }: LessonLabRows,
) {
  let info: SandboxInfo | null = sandbox ? sandboxInfoFromRow(sandbox) : null;
  let runnerMessage: string | null = null;
  if (sandbox) {
    try {
      info = await liveInfo(sandbox, shared.tenantId);
    } catch (error) {
      runnerMessage = runnerMessageOf(error);
    }
  }
  const best = attempts.best ? attemptInfo(attempts.best, lab) : null;
  return {
    courseId: shared.courseId,
    lessonKey: shared.lessonKey,
    enrolled: shared.enrolled,
    // Before the lab opens its summary and instructions stay on the server: they quote the locked lesson.
    lab: schedule?.state === "locked" ? withoutInstructions(publicLab(lab)) : publicLab(lab),
    /** A cohort learner's dates for this lab; null when self-paced. */
    schedule,
    sandbox: info,
    runnerMessage,
    lastAttempt: attempts.last ? attemptInfo(attempts.last, lab) : null,
    bestAttempt: best,
    attemptCount: attempts.count,
    /** Steps passed in the best attempt: they count toward the lesson's progress. */
    stepsPassed: best ? best.steps.filter((s) => s.passed).length : 0,
  };
}

export const labsRouter = createTRPCRouter({
  /**
   * The labs of a lesson in the order it shows them (empty when it has none), each as the learner
   * sees it, with their sandbox for it and their best and last attempt. A lab-runner that cannot
   * answer does not break the page: the sandbox is then as Postgres knows it and the lab's
   * `runnerMessage` says why.
   */
  forLesson: orgProcedure.input(z.object({ courseSlug, lessonKey })).query(async ({ ctx, input }) => {
    const tenantId = ctx.tenant.tenantId;
    const found = await ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId, userId: ctx.user.id, slug: input.courseSlug });
      const lesson = await lessonOrNotFound(tx, { versionId: version.id, lessonKey: input.lessonKey });
      const lessonLabs = labsForLesson(lesson.key);
      if (lessonLabs.length === 0) return null;
      const enrollment = await getEnrollment(tx, { tenantId, courseId: course.id, userId: ctx.user.id });
      const plan = await learnerPlan(tx, { tenantId, courseId: course.id, userId: ctx.user.id, now: now() });
      const rows: LessonLabRows[] = [];
      for (const lab of lessonLabs) {
        const learner = { tenantId, userId: ctx.user.id, labSlug: lab.slug };
        const sandbox = await latestSandbox(tx, learner);
        const attempts = await attemptSummary(tx, { ...learner, courseId: course.id });
        rows.push({ lab, sandbox, attempts, schedule: scheduleView(plan?.lab(lab.slug)) });
      }
      return { shared: { courseId: course.id, lessonKey: lesson.key, enrolled: enrollment !== null, tenantId }, rows };
    });
    if (!found) return [];
    return Promise.all(found.rows.map((row) => lessonLabView(found.shared, row)));
  }),

  /**
   * Every lab of the course, lesson by lesson in book order, with the learner's standing in each:
   * not started, in progress (best score so far), done (a full score), or locked until their
   * cohort's schedule opens it.
   */
  catalog: orgProcedure.input(z.object({ courseSlug })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const tenantId = ctx.tenant.tenantId;
      const { course, version } = await courseOrNotFound(tx, { tenantId, userId: ctx.user.id, slug: input.courseSlug });
      const scope = { tenantId, courseId: course.id, userId: ctx.user.id };
      const plan = await learnerPlan(tx, { ...scope, now: now() });
      const outline = await getOutline(tx, version.id);
      const best = bestBySlug(await listLabAttemptTimes(tx, { ...scope, userIds: [ctx.user.id] }));
      const labs = outline.flatMap((chapter) =>
        chapter.lessons.flatMap((lesson) =>
          labsForLesson(lesson.key).map((lab) => {
            const mine = best.get(lab.slug);
            const schedule = scheduleView(plan?.lab(lab.slug));
            return {
              lesson: { key: lesson.key, number: lesson.number, title: lesson.title, chapterNumber: chapter.number },
              lab: {
                slug: lab.slug,
                title: lab.title,
                services: [...lab.services],
                steps: lab.steps.length,
                maxScore: lab.steps.reduce((n, step) => n + step.points, 0),
              },
              status: labStatus(mine, schedule?.state),
              attempts: mine?.attempts ?? 0,
              best: mine && mine.attempts > 0 ? { score: mine.bestScore, maxScore: mine.bestMaxScore } : null,
              /** A cohort learner's dates for the lab; null when self-paced. */
              schedule,
            };
          }),
        ),
      );
      return { course: { id: course.id, slug: course.slug, title: course.title }, edition: version.edition, cohort: cohortView(plan), labs };
    }),
  ),

  /**
   * Records that the learner revealed a hint of a failed step of their attempt (the lab panel
   * shows them one at a time), for the dashboards. Idempotent: the same hint again records
   * nothing new. Another learner's attempt, or another organisation's, is not found.
   */
  revealHint: orgProcedure
    .input(z.object({ attemptId: z.uuid(), stepId: z.string().trim().min(1).max(100), hintIndex: z.number().int().min(0).max(99) }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const tenantId = ctx.tenant.tenantId;
        const attempt = await findAttempt(tx, { tenantId, attemptId: input.attemptId });
        if (!attempt || attempt.userId !== ctx.user.id) throw notFound("Lab attempt");
        const hints = attemptStepHints(attempt.result, findLab(attempt.labSlug)).get(input.stepId);
        if (!hints) throw new TRPCError({ code: "BAD_REQUEST", message: "This attempt has no such step." });
        if (input.hintIndex >= hints.length) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: hints.length === 0 ? "This step offers no hints in this attempt." : `This step has ${hints.length} hints.`,
          });
        }
        const { inserted } = await recordHintReveal(tx, { tenantId, ...input, revealedAt: now() });
        return { recorded: inserted };
      }),
    ),

  /** Starts a lab of the lesson, or returns the learner's live sandbox for it (and restarts stopped services). */
  start: orgProcedure.input(z.object({ courseId, lessonKey, labSlug })).mutation(async ({ ctx, input }) => {
    const lab = await ctx.scoped(async (tx) => {
      const { course, version } = await courseOrNotFound(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, id: input.courseId });
      const lesson = await lessonOrNotFound(tx, { versionId: version.id, lessonKey: input.lessonKey });
      // A lab of another lesson (or none) is not found here, even if it exists.
      const found = labsForLesson(lesson.key).find((l) => l.slug === input.labSlug);
      if (!found) throw notFound("Lab");
      const scope = { tenantId: ctx.tenant.tenantId, courseId: course.id, userId: ctx.user.id };
      if (!(await getEnrollment(tx, scope))) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Enroll in the course to do its labs." });
      }
      const plan = await learnerPlan(tx, { ...scope, now: now() });
      if (plan) refuseUnlessOpen(plan, plan.lab(found.slug));
      return { lab: found, scope, lessonKey: lesson.key };
    });
    const { sandbox, created } = await callLabRunner(() =>
      labRunner().start({ tenantId: ctx.tenant.tenantId, userId: ctx.user.id, labSlug: lab.lab.slug }),
    );
    // lab-runner inserted the sandbox's row in a transaction of its own, which has committed by
    // now: this event cannot share it. If this insert fails, the sandbox runs with no "started"
    // event (an undercount, never an event for a sandbox that does not exist). Returning the
    // live sandbox again is no new start.
    if (created) {
      await ctx.scoped((tx) =>
        recordEvent(tx, { ...lab.scope, verb: "lab_started", lessonKey: lab.lessonKey, labSlug: lab.lab.slug, occurredAt: now() }),
      );
    }
    return { sandbox: sandboxInfo(sandbox, lab.lab.services), created };
  }),

  /** Live status: for the learner, and read-only for the organisation's instructors. */
  status: orgProcedure.input(z.object({ sandboxId })).query(async ({ ctx, input }) => {
    const row = visibleOrNotFound(ctx, await ctx.scoped((tx) => findSandbox(tx, { tenantId: ctx.tenant.tenantId, sandboxId: input.sandboxId })));
    return { sandbox: await liveInfo(row, ctx.tenant.tenantId), mine: row.mine };
  }),

  /**
   * "Check my work": lab-runner grades the sandbox's real state; the attempt is stored with the
   * lab's version, and a full score completes the lesson like "Mark complete" does once every
   * lab of the lesson has had one (this attempt included).
   */
  check: orgProcedure.input(z.object({ sandboxId, courseId })).mutation(async ({ ctx, input }) => {
    const tenantId = ctx.tenant.tenantId;
    const { row, course, lesson, lab, chapterOpen } = await ctx.scoped(async (tx) => {
      const row = ownedOrRefused(ctx, await findSandbox(tx, { tenantId, sandboxId: input.sandboxId }));
      const { course, version } = await courseOrNotFound(tx, { tenantId, userId: ctx.user.id, id: input.courseId });
      const lab = findLab(row.labSlug);
      const lesson = lab ? await findLesson(tx, version.id, lab.lessonKey) : null;
      if (!lab || !lesson) throw notFound("Lab");
      const plan = await learnerPlan(tx, { tenantId, courseId: course.id, userId: ctx.user.id, now: now() });
      // A sandbox started while the lab was open can still be checked until the cohort closes the lab.
      if (plan) refuseIfClosed(plan, plan.lab(lab.slug));
      // A full score completes the lesson only while its chapter takes work, as "Mark complete" would.
      const chapterState = plan?.chapterOf(lesson.key)?.state;
      return { row, course, lesson, lab, chapterOpen: chapterState === undefined || chapterState === "open" };
    });
    if (row.state === "ended") {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${sandboxInfoFromRow(row).message} Start the lab again to check your work.` });
    }
    // Grading can take a while (a Spark job's output): no transaction is held meanwhile.
    const { sandbox, grade } = await callLabRunner(() => labRunnerGrading().check(row.id));
    const score = Math.round(grade.score);
    const maxScore = Math.round(grade.maxScore);
    const complete = maxScore > 0 && score >= maxScore;
    const { attempt, lessonCompleted } = await ctx.scoped(async (tx) => {
      const scope = { tenantId, courseId: course.id, userId: ctx.user.id };
      const at = now();
      const saved = await recordAttempt(tx, {
        ...scope,
        labSlug: row.labSlug,
        lessonKey: lesson.key,
        sandboxId: row.id,
        labVersion: grade.labVersion,
        score,
        maxScore,
        result: grade,
        createdAt: at,
      });
      const graded = { ...scope, lessonKey: lesson.key, labSlug: row.labSlug, attemptId: saved.id, score, maxScore, occurredAt: at };
      const events: LearningEventInput[] = [{ ...graded, verb: "lab_checked" }];
      if (complete) events.push({ ...graded, verb: "lab_passed" });
      // Done as a cohort plan counts a lab done: by its first full score, in this course.
      const labTimes = complete ? await listLabAttemptTimes(tx, { ...scope, userIds: [ctx.user.id] }) : [];
      const lessonDone = labsCompleteLesson(lesson.key, new Set(labTimes.filter((l) => l.firstFullScoreAt !== null).map((l) => l.labSlug)));
      if (lessonDone && chapterOpen && (await getEnrollment(tx, scope))) {
        const { inserted } = await completeLesson(tx, { ...scope, lessonKey: lesson.key, contentHash: lesson.contentHash, completedAt: at });
        if (inserted) events.push({ ...scope, verb: "lesson_completed", lessonKey: lesson.key, occurredAt: at });
      }
      // In the attempt's transaction: an event exists exactly when its attempt (and completion) does.
      await recordEvents(tx, events);
      return { attempt: saved, lessonCompleted: lessonDone };
    });
    return { attempt: attemptInfo(attempt, lab), lessonCompleted, sandbox: sandboxInfo(sandbox, lab.services) };
  }),

  /** Stops the sandbox and removes everything in it; stopping a stopped one is fine. */
  stop: orgProcedure.input(z.object({ sandboxId })).mutation(async ({ ctx, input }) => {
    const row = ownedOrRefused(ctx, await ctx.scoped((tx) => findSandbox(tx, { tenantId: ctx.tenant.tenantId, sandboxId: input.sandboxId })));
    if (row.state === "ended") return { sandbox: sandboxInfoFromRow(row) };
    const view = await callLabRunner(() => labRunner().stop(row.id));
    return { sandbox: sandboxInfo(view, servicesOf(row.labSlug)) };
  }),

  /** A WebSocket URL for the sandbox's terminal, good for two minutes; only its learner gets one. */
  terminal: orgProcedure.input(z.object({ sandboxId })).mutation(async ({ ctx, input }) => {
    const row = ownedOrRefused(ctx, await ctx.scoped((tx) => findSandbox(tx, { tenantId: ctx.tenant.tenantId, sandboxId: input.sandboxId })));
    if (row.state !== "running") {
      const message =
        row.state === "provisioning" ? sandboxStartingMessage : `${sandboxInfoFromRow(row).message} Start the lab again to get a terminal.`;
      throw new TRPCError({ code: "PRECONDITION_FAILED", message });
    }
    const expiresAt = new Date(Date.now() + TERMINAL_TOKEN_MS);
    const token = signTerminalToken({ sandboxId: row.id, userId: ctx.user.id, expiresAt }, labRunnerSecret());
    return { url: labRunner().terminalUrl(labRunnerPublicUrl(), row.id, token), expiresAt: expiresAt.toISOString() };
  }),

  /** The instructors' view of a course's labs: live sandboxes of the organisation and every member's scores. */
  overview: roleProcedure("instructor")
    .input(z.object({ courseId }))
    .query(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.tenantId;
      const { live, scores } = await ctx.scoped(async (tx) => {
        const { course } = await courseOrNotFound(tx, { tenantId, id: input.courseId });
        return { live: await listLiveSandboxes(tx, { tenantId }), scores: await labScoresByMember(tx, { tenantId, courseId: course.id }) };
      });
      let runnerMessage: string | null = null;
      const sandboxes = await Promise.all(
        live.map(async (s) => {
          let info: SandboxInfo | null = null;
          try {
            const view = await labRunner().get(s.id);
            if (view.tenantId === tenantId) info = sandboxInfo(view, servicesOf(s.labSlug));
          } catch (error) {
            runnerMessage = runnerMessageOf(toTRPCError(error));
          }
          return {
            id: s.id,
            learner: { userId: s.userId, displayName: s.displayName, email: s.email },
            labSlug: s.labSlug,
            labTitle: findLab(s.labSlug)?.title ?? s.labSlug,
            state: info?.state ?? s.state,
            services: info?.services ?? [],
            message: info?.message ?? null,
            createdAt: s.createdAt.toISOString(),
            endsAt: info?.endsAt ?? s.expiresAt.toISOString(),
          };
        }),
      );
      return {
        sandboxes: sandboxes.filter((s) => s.state !== "ended"),
        scores: scores.map((s) => ({
          ...s,
          labTitle: findLab(s.labSlug)?.title ?? s.labSlug,
          lastAttemptAt: s.lastAttemptAt.toISOString(),
        })),
        runnerMessage,
      };
    }),
});
