import { labs } from "@cookbook/content/labs";
import { getOutline } from "@cookbook/db/queries/courses";
import {
  cohortSeats,
  completionFunnel,
  countLiveSandboxes,
  isoWeekStarts,
  membersPerRole,
  stepFailureStats,
  stepFindings,
  stepKey,
  type StepFailureStats,
  weeklyActivity,
} from "@cookbook/db/queries/insights";
import { z } from "zod";
import { now } from "~/server/clock";
import { dashboardScope, dashboardScopeOrRefused } from "~/server/dashboards/scope";
import { createTRPCRouter, roleProcedure } from "../trpc";

/** Weeks the organisation dashboard's series cover: the current ISO week and the 11 before it. */
const WEEKS = 12;
/** Findings shown per step: the few that explain most failures. */
const TOP_FINDINGS = 3;

const noStats = (labSlug: string, stepId: string, title: string): StepFailureStats => ({
  labSlug,
  stepId,
  title,
  attempted: 0,
  passed: 0,
  failedAtLeastOnce: 0,
  failedFirst: 0,
  medianAttemptsToPass: null,
});

/** "The group has committed no offsets." as it reads mid-sentence: no final stop, a lower-case first word unless it is an acronym. */
function midSentence(text: string): string {
  const trimmed = text.trim().replace(/[.!]+$/, "");
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]?.toLowerCase() + trimmed.slice(1) : trimmed;
}

export const insightsRouter = createTRPCRouter({
  /**
   * Lab failure patterns of a scope (a cohort, or a course's self-paced learners): per lab of the
   * scope's course version, in the course's order, per step in the lab's order, how many of the
   * scope's learners attempted, passed, failed at least once and failed first, the median attempts
   * to pass, and the most frequent findings of failing checks, with the sentence the page shows.
   * Steps an older lab version had and the current one lacks come after the current steps.
   */
  labFailures: roleProcedure("instructor")
    .input(z.object({ scope: dashboardScope }))
    .query(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const scope = await dashboardScopeOrRefused(tx, ctx, input.scope);
        const attemptScope = { tenantId: ctx.tenant.tenantId, courseId: scope.courseId, userIds: scope.userIds };
        const outline = await getOutline(tx, scope.versionId);
        const stats = await stepFailureStats(tx, attemptScope);
        const findings = await stepFindings(tx, { ...attemptScope, limit: TOP_FINDINGS });
        const lessonKeys = outline.flatMap((c) => c.lessons.map((l) => l.key));
        const courseLabs = lessonKeys.flatMap((key) => labs.filter((lab) => lab.lessonKey === key));
        return {
          learners: scope.userIds.length,
          labs: courseLabs.map((lab) => {
            const ofLab = stats.filter((s) => s.labSlug === lab.slug);
            const defined = lab.steps.map((step) => ofLab.find((s) => s.stepId === step.id) ?? noStats(lab.slug, step.id, step.title));
            const retired = ofLab.filter((s) => !lab.steps.some((step) => step.id === s.stepId)).sort((a, b) => a.stepId.localeCompare(b.stepId));
            return {
              slug: lab.slug,
              title: lab.title,
              lessonKey: lab.lessonKey,
              steps: [...defined, ...retired].map((s) => {
                const topFindings = findings.get(stepKey(lab.slug, s.stepId)) ?? [];
                const top = topFindings[0];
                const summary =
                  s.attempted === 0
                    ? `${s.stepId}: nobody has attempted it yet`
                    : `${s.stepId}: ${s.failedFirst} of ${s.attempted} failed first${top ? `; most common: ${midSentence(top.example)}` : ""}`;
                return {
                  stepId: s.stepId,
                  title: lab.steps.find((step) => step.id === s.stepId)?.title ?? s.title,
                  /** false: a step of an older version of the lab, no longer in it. */
                  current: lab.steps.some((step) => step.id === s.stepId),
                  attempted: s.attempted,
                  passed: s.passed,
                  failedAtLeastOnce: s.failedAtLeastOnce,
                  failedFirst: s.failedFirst,
                  medianAttemptsToPass: s.medianAttemptsToPass,
                  topFindings,
                  summary,
                };
              }),
            };
          }),
        };
      }),
    ),

  /**
   * The owner's view of the organisation: weekly series (ISO weeks in UTC, zero-filled, oldest
   * first) of active learners, lesson completions and lab hours; members per role; cohort seats
   * against their limits; sandboxes live now; and per enabled course a funnel over the parts of
   * its current version.
   */
  organisation: roleProcedure("owner").query(({ ctx }) =>
    ctx.scoped(async (tx) => {
      const tenantId = ctx.tenant.tenantId;
      const at = now();
      const weekly = await weeklyActivity(tx, { tenantId, weekStarts: isoWeekStarts(at, WEEKS), now: at });
      return {
        activeLearnersPerWeek: weekly.activeLearners,
        completionsPerWeek: weekly.completions,
        labHoursPerWeek: weekly.labHours,
        membersPerRole: await membersPerRole(tx, { tenantId }),
        cohortSeats: await cohortSeats(tx, { tenantId }),
        sandboxesRunning: await countLiveSandboxes(tx, { tenantId }),
        completionFunnel: await completionFunnel(tx, { tenantId }),
      };
    }),
  ),
});
