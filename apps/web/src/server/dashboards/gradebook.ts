import { type AtRiskThresholds, atRiskDefaults, listLastActive, listStepFailures } from "@cookbook/db/queries/gradebook";
import type { ItemState } from "@cookbook/schedule/item-state";
import { labItemKey } from "@cookbook/schedule/pacing-rule";
import { zonedInstant } from "@cookbook/schedule/zoned-time";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  type ColumnItem,
  cohortMemberItems,
  type MemberItems,
  type PlanItem,
  type SelfPacedItem,
  selfPacedMemberItems,
} from "~/server/cohorts/learner-plan";
import { groupBy } from "~/lib/group-by";
import type { DashboardScope } from "./scope";

/*
 * The gradebook of a dashboard scope: learners × items (chapters and labs in book order), each
 * cell as the learner's own plan sees it (done, late, extended, locked/open/closed), with the
 * best lab score, and who is at risk and why. Computed from the live tables in a fixed number
 * of queries whatever the number of learners: the plan's one per table, plus the last activity
 * and the step failures.
 */

export const gradebookSorts = ["name", "status", "progress", "lastActive"] as const;
export const gradebookSort = z.enum(gradebookSorts);
export const labSlug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9-]+$/, { error: "Not a lab's name." });
/** Every filter given must hold (they combine with "and"). */
export const gradebookFilter = z.strictObject({
  /** Cohort learners with at least one item past due and not done. */
  behind: z.boolean().optional(),
  /** No learning event for the scope's inactivity threshold (atRiskInactiveDays). */
  inactive: z.boolean().optional(),
  /** Learners with at least one attempt of this lab below its full score. */
  failedLab: labSlug.optional(),
});
export type GradebookFilter = z.infer<typeof gradebookFilter>;

/**
 * cohort learners: not_started (nothing completed or attempted), behind (an item overdue), on_track;
 * self-paced learners have no schedule: not_started, in_progress, completed (every item done).
 */
export type GradebookStatus = "not_started" | "behind" | "on_track" | "in_progress" | "completed";

export type GradebookCell = {
  done: boolean;
  late: boolean;
  extended: boolean;
  /** null for self-paced learners: without a schedule nothing is locked or closed. */
  state: ItemState | null;
  bestScore: number | null;
  maxScore: number | null;
};

export type GradebookRow = {
  userId: string;
  displayName: string;
  email: string;
  status: GradebookStatus;
  overdue: number;
  late: number;
  done: number;
  total: number;
  lastActiveAt: Date | null;
  /** Whole days without a learning event, counted as the inactivity threshold counts them. */
  inactiveDays: number;
  cells: Record<string, GradebookCell>;
  /** The learner's items as their own plan computes them (without dates when self-paced). */
  items: (PlanItem | SelfPacedItem)[];
  /** Per lab: attempts below the full score. */
  failedAttempts: Map<string, number>;
};

export type Gradebook = {
  scope: DashboardScope;
  thresholds: AtRiskThresholds;
  columns: ColumnItem[];
  /** In the scope's order (by name). */
  rows: GradebookRow[];
  /** Per learner, lab and step: graded attempts in which the step did not pass; null when not asked for. */
  stepFailures: Map<string, { labSlug: string; stepId: string; failures: number }[]> | null;
};

const dayMs = 24 * 60 * 60 * 1000;

/** The scope's at-risk thresholds: the cohort's settings, or the defaults for self-paced learners. */
export function scopeThresholds(scope: DashboardScope): AtRiskThresholds {
  if (scope.kind === "self_paced") return atRiskDefaults;
  const { atRiskOverdueItems, atRiskInactiveDays, atRiskStepFailures } = scope.cohort;
  return { atRiskOverdueItems, atRiskInactiveDays, atRiskStepFailures };
}

/**
 * Every learner of the scope with their cells, in name order, before any filter or sort; with
 * `stepFailures` also the failed steps the at-risk reasons count (one more pass over every
 * attempt's stored steps, which the matrix and the CSV do not need).
 */
export async function loadGradebook(
  tx: TenantTx,
  input: { tenantId: string; scope: DashboardScope; now: Date; stepFailures?: boolean },
): Promise<Gradebook> {
  const { tenantId, scope, now } = input;
  const learners = { tenantId, courseId: scope.courseId, userIds: scope.userIds };
  const planned =
    scope.kind === "cohort"
      ? await cohortMemberItems(tx, { tenantId, cohort: scope.cohort, members: scope.members, now })
      : await selfPacedMemberItems(tx, { ...learners, versionId: scope.versionId });
  const lastActive = new Map((await listLastActive(tx, learners)).map((r) => [r.userId, r.lastActiveAt]));
  const stepFailures = input.stepFailures ? groupBy(await listStepFailures(tx, learners), (f) => f.userId) : null;
  const byUser = new Map<string, MemberItems<PlanItem | SelfPacedItem>>(planned.members.map((m) => [m.userId, m]));
  // Inactivity counts from the cohort's first day at the earliest: nobody is idle before it began.
  const start = scope.kind === "cohort" ? zonedInstant(scope.cohort.startDate, "00:00", scope.cohort.timeZone) : null;
  const rows = scope.members.flatMap((member) => {
    const mine = byUser.get(member.userId);
    if (!mine) return [];
    const lastActiveAt = lastActive.get(member.userId) ?? null;
    const since = Math.max((lastActiveAt ?? member.enrolledAt).getTime(), start?.getTime() ?? 0);
    return [
      {
        userId: member.userId,
        displayName: member.displayName,
        email: member.email,
        ...standing(mine, scope.kind === "cohort"),
        lastActiveAt,
        inactiveDays: Math.max(0, Math.floor((now.getTime() - since) / dayMs)),
        cells: cellsOf(mine),
        items: mine.items,
        failedAttempts: new Map(mine.labAttempts.map((a) => [a.labSlug, a.failedAttempts])),
      },
    ];
  });
  return { scope, thresholds: scopeThresholds(scope), columns: planned.columns, rows, stepFailures };
}

export function isPlanItem(item: PlanItem | SelfPacedItem): item is PlanItem {
  return "state" in item;
}

/** A cohort learner's status as the roster counts it; a self-paced one's from their progress alone. */
function standing(
  mine: MemberItems<PlanItem | SelfPacedItem>,
  scheduled: boolean,
): Pick<GradebookRow, "status" | "overdue" | "late" | "done" | "total"> {
  const planned = mine.items.filter(isPlanItem);
  const overdue = planned.filter((i) => i.overdue).length;
  const done = mine.items.filter((i) => i.done).length;
  const total = mine.items.length;
  let status: GradebookStatus;
  if (!mine.started) status = "not_started";
  else if (scheduled) status = overdue > 0 ? "behind" : "on_track";
  else status = done === total ? "completed" : "in_progress";
  return { status, overdue, late: planned.filter((i) => i.late).length, done, total };
}

function cellsOf(mine: MemberItems<PlanItem | SelfPacedItem>): Record<string, GradebookCell> {
  const best = new Map(mine.labAttempts.map((a) => [labItemKey(a.labSlug), a]));
  return Object.fromEntries(
    mine.items.map((item) => {
      const attempts = item.kind === "lab" ? best.get(item.key) : undefined;
      const planned = isPlanItem(item) ? item : null;
      const cell: GradebookCell = {
        done: item.done,
        late: planned?.late ?? false,
        extended: (planned?.extensionDays ?? 0) > 0,
        state: planned?.state ?? null,
        bestScore: attempts?.bestScore ?? null,
        maxScore: attempts?.bestMaxScore ?? null,
      };
      return [item.key, cell];
    }),
  );
}

export type AtRiskReason =
  | { code: "overdue"; text: string; count: number }
  | { code: "inactive"; text: string; days: number }
  | { code: "step_failures"; text: string; labSlug: string; stepId: string; count: number };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a learner is at risk, in words, by the scope's thresholds (each reason when its count
 * reaches the threshold): items past due and not done, days without a learning event, and
 * each lab step whose checks failed that many times (most failures first).
 */
export function atRiskReasons(row: GradebookRow, book: Gradebook): AtRiskReason[] {
  const { atRiskOverdueItems, atRiskStepFailures } = book.thresholds;
  const reasons: AtRiskReason[] = [];
  if (row.overdue >= atRiskOverdueItems)
    reasons.push({ code: "overdue", text: `${plural(row.overdue, "item", "items")} past due`, count: row.overdue });
  if (isInactive(row, book))
    reasons.push({ code: "inactive", text: `inactive for ${plural(row.inactiveDays, "day", "days")}`, days: row.inactiveDays });
  if (!book.stepFailures) throw new Error("at-risk reasons need a gradebook loaded with its step failures");
  const failed = (book.stepFailures.get(row.userId) ?? [])
    .filter((f) => f.failures >= atRiskStepFailures)
    .sort((a, b) => b.failures - a.failures || a.labSlug.localeCompare(b.labSlug) || a.stepId.localeCompare(b.stepId));
  for (const f of failed) {
    const times = f.failures === 1 ? "once" : `${f.failures} times`;
    reasons.push({ code: "step_failures", text: `failed step ${f.stepId} ${times}`, labSlug: f.labSlug, stepId: f.stepId, count: f.failures });
  }
  return reasons;
}

export const isInactive = (row: GradebookRow, book: Gradebook) => row.inactiveDays >= book.thresholds.atRiskInactiveDays;

/** The rows every given filter admits; a lab the scope's course does not have is refused, not silently matched by nobody. */
export function filterRows(book: Gradebook, filter: GradebookFilter | undefined): GradebookRow[] {
  if (!filter) return book.rows;
  const { failedLab } = filter;
  if (failedLab !== undefined && !book.columns.some((c) => c.key === labItemKey(failedLab))) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `This course has no lab ${failedLab}.` });
  }
  return book.rows.filter(
    (row) =>
      (!filter.behind || row.status === "behind") &&
      (!filter.inactive || isInactive(row, book)) &&
      (failedLab === undefined || (row.failedAttempts.get(failedLab) ?? 0) > 0),
  );
}

// Status order: who needs attention first.
const statusRank: Record<GradebookStatus, number> = { behind: 0, not_started: 1, in_progress: 2, on_track: 3, completed: 4 };

/**
 * Rows in the order asked, ties by name (the rows come in name order and the sort is stable):
 * status = who needs attention first; progress = fewest items done first; lastActive = longest
 * idle first, never active before all.
 */
export function sortRows(rows: readonly GradebookRow[], sort: z.infer<typeof gradebookSort> = "name"): GradebookRow[] {
  const key: Record<typeof sort, (row: GradebookRow) => number> = {
    name: () => 0,
    status: (row) => statusRank[row.status],
    progress: (row) => (row.total === 0 ? 0 : row.done / row.total),
    lastActive: (row) => row.lastActiveAt?.getTime() ?? Number.MIN_SAFE_INTEGER,
  };
  const of = key[sort];
  return [...rows].sort((a, b) => of(a) - of(b));
}
