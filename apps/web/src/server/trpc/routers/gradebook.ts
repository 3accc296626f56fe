import { findLab } from "@cookbook/content/labs";
import { appendAuditEntry } from "@cookbook/db/queries/cohort-audit";
import { listExtensions } from "@cookbook/db/queries/cohort-extensions";
import { type AtRiskThresholds, listLearnerAttempts, listTimeline, updateThresholds } from "@cookbook/db/queries/gradebook";
import { listHintReveals } from "@cookbook/db/queries/labs";
import { stepGradeSchema } from "@cookbook/lab-runner-api/contract";
import { z } from "zod";
import { now } from "~/server/clock";
import { managedCohortOrNotFound } from "~/server/cohorts/cohort-access";
import {
  atRiskReasons,
  filterRows,
  type Gradebook,
  type GradebookRow,
  gradebookFilter,
  gradebookSort,
  isPlanItem,
  loadGradebook,
  sortRows,
} from "~/server/dashboards/gradebook";
import { type DashboardScope, dashboardScope, dashboardScopeOrRefused } from "~/server/dashboards/scope";
import { attemptStepHints } from "~/server/labs/lab-views";
import { groupBy } from "~/lib/group-by";
import { hintUsage } from "~/lib/hint-usage";
import { createTRPCRouter, notFound, orgProcedure, roleProcedure } from "../trpc";

const userId = z.string().trim().min(1).max(100);
const steps = z.array(stepGradeSchema);

/** What a dashboard is about, as the pages name it. */
function scopeView(scope: DashboardScope) {
  return scope.kind === "cohort"
    ? { kind: scope.kind, cohortId: scope.cohort.id, name: scope.cohort.name, courseId: scope.courseId, timeZone: scope.cohort.timeZone }
    : { kind: scope.kind, cohortId: null, name: `${scope.course.title} (self-paced)`, courseId: scope.courseId, timeZone: null };
}

function columnsView(book: Gradebook) {
  return book.columns.map((c) => ({
    key: c.key,
    kind: c.kind,
    title: c.title,
    chapterNumber: c.chapterNumber,
    dueAt: c.dueAt?.toISOString() ?? null,
  }));
}

function rowView(row: GradebookRow) {
  return {
    userId: row.userId,
    displayName: row.displayName,
    email: row.email,
    status: row.status,
    overdue: row.overdue,
    late: row.late,
    done: row.done,
    total: row.total,
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    cells: row.cells,
  };
}

/** A stored grader result's steps; an attempt stored before steps were recorded (or in another shape) shows none. */
function stepsOf(result: unknown) {
  const parsed = steps.safeParse((result as { steps?: unknown } | null)?.steps);
  return parsed.success ? parsed.data.map(({ hints: _hints, ...step }) => step) : [];
}

const thresholdsInput = {
  atRiskOverdueItems: z.number().int().min(1).max(1000).optional(),
  atRiskInactiveDays: z.number().int().min(1).max(365).optional(),
  atRiskStepFailures: z.number().int().min(1).max(1000).optional(),
};

export const gradebookRouter = createTRPCRouter({
  /**
   * The scope's learners × items: per cell done, late, extended, locked/open/closed and the best
   * lab score; per learner status, overdue and late counts, last activity. Filters combine;
   * sort ties go by name. The scope's at-risk thresholds come with it (the settings form's values).
   */
  cohort: roleProcedure("instructor")
    .input(z.object({ scope: dashboardScope, sort: gradebookSort.optional(), filter: gradebookFilter.optional() }))
    .query(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const scope = await dashboardScopeOrRefused(tx, ctx, input.scope);
        const book = await loadGradebook(tx, { tenantId: ctx.tenant.tenantId, scope, now: now() });
        const rows = sortRows(filterRows(book, input.filter), input.sort);
        return { scope: scopeView(scope), thresholds: book.thresholds, columns: columnsView(book), rows: rows.map(rowView) };
      }),
    ),

  /**
   * One learner of the scope: their plan items, timeline (completions, lab starts, graded checks;
   * newest first), every attempt with its step results, and their extensions. A learner asking
   * for someone else gets NOT_FOUND (whether that person exists is not theirs to learn); for
   * themselves FORBIDDEN: their own standing is on their dashboard, not the instructor's view.
   */
  learner: orgProcedure.input(z.object({ scope: dashboardScope, userId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      if (ctx.tenant.role === "learner" && input.userId !== ctx.user.id) throw notFound("Learner");
      const tenantId = ctx.tenant.tenantId;
      const all = await dashboardScopeOrRefused(tx, ctx, input.scope);
      const member = all.members.find((m) => m.userId === input.userId);
      if (!member) throw notFound("Learner");
      const scope = { ...all, members: [member], userIds: [member.userId] };
      const book = await loadGradebook(tx, { tenantId, scope, now: now(), stepFailures: true });
      const [row] = book.rows;
      if (!row) throw notFound("Learner");
      const learner = { tenantId, courseId: scope.courseId, userId: member.userId };
      const timeline = await listTimeline(tx, learner);
      const attempts = await listLearnerAttempts(tx, learner);
      const reveals = groupBy(await listHintReveals(tx, { tenantId, attemptIds: attempts.map((a) => a.id) }), (r) => r.attemptId);
      const extensions = scope.kind === "cohort" ? await listExtensions(tx, { tenantId, cohortId: scope.cohort.id, userId: member.userId }) : [];
      return {
        scope: scopeView(scope),
        learner: { ...rowView(row), enrolledAt: member.enrolledAt.toISOString() },
        reasons: atRiskReasons(row, book),
        items: row.items.map((item) => {
          const base = {
            key: item.key,
            kind: item.kind,
            title: item.title,
            chapterNumber: item.chapterNumber,
            done: item.done,
            doneAt: item.doneAt?.toISOString() ?? null,
          };
          // A self-paced learner's items have no schedule: no dates, never late, overdue or extended.
          if (!isPlanItem(item))
            return { ...base, opensAt: null, dueAt: null, closesAt: null, state: null, extensionDays: 0, overdue: false, late: false };
          return {
            ...base,
            opensAt: item.opensAt.toISOString(),
            dueAt: item.dueAt.toISOString(),
            closesAt: item.closesAt?.toISOString() ?? null,
            state: item.state,
            extensionDays: item.extensionDays,
            overdue: item.overdue,
            late: item.late,
          };
        }),
        timeline: {
          events: timeline.events.map((e) => ({
            id: e.id,
            verb: e.verb,
            lessonKey: e.lessonKey,
            labSlug: e.labSlug,
            attemptId: e.attemptId,
            score: e.score,
            maxScore: e.maxScore,
            occurredAt: e.occurredAt.toISOString(),
          })),
          more: timeline.more,
        },
        attempts: attempts.map((a) => ({
          id: a.id,
          labSlug: a.labSlug,
          labTitle: findLab(a.labSlug)?.title ?? a.labSlug,
          labVersion: a.labVersion,
          score: a.score,
          maxScore: a.maxScore,
          createdAt: a.createdAt.toISOString(),
          steps: stepsOf(a.result),
          /** The hints the learner revealed for this attempt's failed steps, and how many gave the answer away. */
          hints: hintUsage(reveals.get(a.id) ?? [], attemptStepHints(a.result, findLab(a.labSlug))),
        })),
        extensions: extensions.map((e) => ({
          id: e.id,
          itemKey: e.itemKey,
          days: e.days,
          reason: e.reason,
          grantedByName: e.grantedByName,
          createdAt: e.createdAt.toISOString(),
          revokedAt: e.revokedAt?.toISOString() ?? null,
        })),
      };
    }),
  ),

  /** The scope's learners with at least one at-risk reason, in words, by the scope's thresholds; in name order. */
  atRisk: roleProcedure("instructor")
    .input(z.object({ scope: dashboardScope }))
    .query(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const scope = await dashboardScopeOrRefused(tx, ctx, input.scope);
        const book = await loadGradebook(tx, { tenantId: ctx.tenant.tenantId, scope, now: now(), stepFailures: true });
        return book.rows.flatMap((row) => {
          const reasons = atRiskReasons(row, book);
          return reasons.length === 0 ? [] : [{ userId: row.userId, displayName: row.displayName, reasons }];
        });
      }),
    ),

  /**
   * Changes some of a cohort's at-risk thresholds (its instructors or an owner). Idempotent:
   * values it already has change nothing and write no audit entry.
   */
  setThresholds: roleProcedure("instructor")
    .input(z.strictObject({ cohortId: z.uuid(), ...thresholdsInput }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        const { cohortId: _cohortId, ...asked } = input;
        const patch: Partial<AtRiskThresholds> = {};
        for (const key of ["atRiskOverdueItems", "atRiskInactiveDays", "atRiskStepFailures"] as const) {
          const value = asked[key];
          if (value !== undefined && value !== cohort[key]) patch[key] = value;
        }
        if (Object.keys(patch).length === 0) return pickThresholds(cohort);
        const updated = await updateThresholds(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, patch });
        if (!updated) throw notFound("Cohort");
        // The cohort page's audit log shows a settings change as "name = value" pairs.
        await appendAuditEntry(tx, {
          tenantId: ctx.tenant.tenantId,
          cohortId: cohort.id,
          actorId: ctx.user.id,
          action: "cohort.updated",
          detail: patch,
          createdAt: now(),
        });
        return pickThresholds(updated);
      }),
    ),
});

function pickThresholds(cohort: AtRiskThresholds): AtRiskThresholds {
  return {
    atRiskOverdueItems: cohort.atRiskOverdueItems,
    atRiskInactiveDays: cohort.atRiskInactiveDays,
    atRiskStepFailures: cohort.atRiskStepFailures,
  };
}
