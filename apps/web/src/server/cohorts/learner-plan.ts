import { labs } from "@cookbook/content/labs";
import {
  type CohortMemberRow,
  findLearnerCohort,
  listActiveExtensions,
  listCohortMembers,
  listCompletionTimes,
  listLabAttemptTimes,
} from "@cookbook/db/queries/cohort-plan";
import type { CohortRow } from "@cookbook/db/queries/cohorts";
import { getOutline } from "@cookbook/db/queries/courses";
import { listOverrides } from "@cookbook/db/queries/schedules";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { computeSchedule, type ItemDates, type ScheduleItem, scheduleItems } from "@cookbook/schedule/compute-schedule";
import { closedMessage, itemStatus, lockedMessage } from "@cookbook/schedule/item-state";
import { chapterItemKey, type ItemOverride, labItemKey } from "@cookbook/schedule/pacing-rule";
import { localDateOf } from "@cookbook/schedule/zoned-time";
import { TRPCError } from "@trpc/server";
import { groupBy } from "~/lib/group-by";

/*
 * A cohort learner's own schedule: the cohort's rule and overrides, anchored on the cohort's
 * start (fixed) or their enrollment (relative), with their extensions, and whether each item
 * is done and late by their completion and lab attempt times. Self-paced learners have none.
 */

export type PlanItem = ScheduleItem & ReturnType<typeof itemStatus>;

export type LearnerPlan = {
  cohort: CohortRow;
  versionId: string;
  anchorDate: string;
  /** The clock's time the plan was computed for. */
  now: Date;
  items: PlanItem[];
  chapter(chapterNumber: number): PlanItem | undefined;
  /** The chapter item a lesson of the cohort's version belongs to. */
  chapterOf(lessonKey: string): PlanItem | undefined;
  lab(labSlug: string): PlanItem | undefined;
};

type Outline = Awaited<ReturnType<typeof getOutline>>;
type Extension = { itemKey: string | null; days: number };
type Completion = { lessonKey: string; completedAt: Date };
type LabTimes = { labSlug: string; firstFullScoreAt: Date | null };
type LabAttemptSummary = Awaited<ReturnType<typeof listLabAttemptTimes>>[number];

/** What every member of one cohort shares: the items of its course version and its rule's overrides. */
type CohortBasis = { cohort: CohortRow; outline: Outline; items: ScheduleItem[]; overrides: ItemOverride[] };

/** The learner's schedule in their cohort for the course, or null when they learn self-paced. */
export async function learnerPlan(
  tx: TenantTx,
  input: { tenantId: string; courseId: string; userId: string; now: Date },
): Promise<LearnerPlan | null> {
  const found = await findLearnerCohort(tx, input);
  if (!found) return null;
  return memberPlan(tx, { tenantId: input.tenantId, member: found.member, cohort: found.cohort, now: input.now });
}

/** The schedule of one member of a cohort (the membership row already loaded). */
export async function memberPlan(
  tx: TenantTx,
  input: { tenantId: string; member: CohortMemberRow; cohort: CohortRow; now: Date },
): Promise<LearnerPlan> {
  const { tenantId, member, cohort } = input;
  const basis = await cohortBasis(tx, tenantId, cohort);
  const scope = { tenantId, courseId: cohort.courseId, userIds: [member.userId] };
  const extensions = await listActiveExtensions(tx, { tenantId, cohortId: cohort.id, userIds: [member.userId] });
  const completions = await listCompletionTimes(tx, scope);
  const labTimes = await listLabAttemptTimes(tx, scope);
  const anchor = anchorDate(cohort, member.enrolledAt);
  const items = planItems(basis, { dates: datesFor(basis, anchor), extensions, completions, labTimes, now: input.now });
  const byKey = new Map(items.map((item) => [item.key, item]));
  const chapterOfLesson = new Map(basis.outline.flatMap((c) => c.lessons.map((l) => [l.key, c.number] as const)));
  return {
    cohort,
    versionId: cohort.courseVersionId,
    anchorDate: anchor,
    now: input.now,
    items,
    chapter: (n) => byKey.get(chapterItemKey(n)),
    chapterOf: (lessonKey) => {
      const n = chapterOfLesson.get(lessonKey);
      return n === undefined ? undefined : byKey.get(chapterItemKey(n));
    },
    lab: (slug) => byKey.get(labItemKey(slug)),
  };
}

export type RosterStatus = {
  userId: string;
  status: "on_track" | "behind" | "not_started";
  /** Items past their due time and not done. */
  overdue: number;
  done: number;
  /** Done items finished after their due time (with the learner's extensions). */
  late: number;
  total: number;
};

/**
 * Every member's standing against the schedule, for the roster: one query per table for the
 * whole cohort. not_started: no completion and no lab attempt in the course yet; behind: at
 * least one item overdue; else on_track.
 */
export async function rosterStatuses(tx: TenantTx, input: { tenantId: string; cohort: CohortRow; now: Date }): Promise<RosterStatus[]> {
  const members = await listCohortMembers(tx, { tenantId: input.tenantId, cohortId: input.cohort.id });
  return (await cohortMemberItems(tx, { ...input, members })).members.map(({ userId, items, started }) => {
    const overdue = items.filter((i) => i.overdue).length;
    return {
      userId,
      status: !started ? "not_started" : overdue > 0 ? "behind" : "on_track",
      overdue,
      done: items.filter((i) => i.done).length,
      late: items.filter((i) => i.late).length,
      total: items.length,
    };
  });
}

/** One learner's items in a course with what the dashboards show beside them: their lab attempts per lab. */
export type MemberItems<Item> = { userId: string; items: Item[]; started: boolean; labAttempts: LabAttemptSummary[] };
/** An item as a column of the gradebook: in a cohort, with the dates of a learner anchored on the cohort's start, without extensions. */
export type ColumnItem = ScheduleItem & { opensAt: Date | null; dueAt: Date | null };

/**
 * The plan items of the given members of a cohort (the roster's and the gradebook's, so both
 * agree with what each learner sees): one query per table for all of them, the dates computed
 * once per anchor (in fixed mode every member shares one). Members in input order; the columns
 * are the items in book order with the dates of the cohort's start (everyone's in fixed mode,
 * the "enrolled on the first day" view in relative mode, as the schedule page shows).
 */
export async function cohortMemberItems(
  tx: TenantTx,
  input: { tenantId: string; cohort: CohortRow; members: readonly { userId: string; enrolledAt: Date }[]; now: Date },
): Promise<{ columns: ColumnItem[]; members: MemberItems<PlanItem>[] }> {
  const { tenantId, cohort, members } = input;
  const basis = await cohortBasis(tx, tenantId, cohort);
  const userIds = members.map((m) => m.userId);
  const scope = { tenantId, courseId: cohort.courseId, userIds };
  const extensions = byUser(await listActiveExtensions(tx, { tenantId, cohortId: cohort.id, userIds }));
  const completions = byUser(await listCompletionTimes(tx, scope));
  const labAttempts = byUser(await listLabAttemptTimes(tx, scope));
  const datesByAnchor = new Map<string, ItemDates[]>([[cohort.startDate, datesFor(basis, cohort.startDate)]]);
  const startDates = new Map(datesByAnchor.get(cohort.startDate)?.map((d) => [d.key, d]));
  const columns = basis.items.flatMap((item) => {
    const dates = startDates.get(item.key);
    return dates ? [{ ...item, opensAt: dates.opensAt, dueAt: dates.dueAt }] : [];
  });
  const planned = members.map((member) => {
    const anchor = anchorDate(cohort, member.enrolledAt);
    let dates = datesByAnchor.get(anchor);
    if (!dates) {
      dates = datesFor(basis, anchor);
      datesByAnchor.set(anchor, dates);
    }
    const mine = { completions: completions.get(member.userId) ?? [], labTimes: labAttempts.get(member.userId) ?? [] };
    const items = planItems(basis, { dates, extensions: extensions.get(member.userId) ?? [], ...mine, now: input.now });
    return { userId: member.userId, items, started: mine.completions.length > 0 || mine.labTimes.length > 0, labAttempts: mine.labTimes };
  });
  return { columns, members: planned };
}

/** A self-paced learner's item: no schedule, so only whether (and when) it is done. */
export type SelfPacedItem = ScheduleItem & { done: boolean; doneAt: Date | null };

/** The items of a course version for self-paced learners, done as a cohort plan counts done: one query per table for all of them. */
export async function selfPacedMemberItems(
  tx: TenantTx,
  input: { tenantId: string; courseId: string; versionId: string; userIds: readonly string[] },
): Promise<{ columns: ColumnItem[]; members: MemberItems<SelfPacedItem>[] }> {
  const outline = await getOutline(tx, input.versionId);
  const items = scheduleItems(outline, labs);
  const completions = byUser(await listCompletionTimes(tx, input));
  const labAttempts = byUser(await listLabAttemptTimes(tx, input));
  const columns = items.map((item) => ({ ...item, opensAt: null, dueAt: null }));
  const planned = input.userIds.map((userId) => {
    const mine = { completions: completions.get(userId) ?? [], labTimes: labAttempts.get(userId) ?? [] };
    const doneAt = doneTimes(outline, mine);
    return {
      userId,
      items: items.map((item) => {
        const at = doneAt(item);
        return Object.assign({}, item, { done: at !== null, doneAt: at });
      }),
      started: mine.completions.length > 0 || mine.labTimes.length > 0,
      labAttempts: mine.labTimes,
    };
  });
  return { columns, members: planned };
}

/** Refuses work on an item that has not opened yet or no longer accepts work, with the message the page shows. */
export function refuseUnlessOpen(plan: LearnerPlan, item: PlanItem | undefined): void {
  if (item?.state === "locked")
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: lockedMessage(item.opensAt, plan.cohort.timeZone, plan.now) });
  refuseIfClosed(plan, item);
}

/** Refuses work on an item past its closing time (a cohort that closes items D days after due). */
export function refuseIfClosed(plan: LearnerPlan, item: PlanItem | undefined): void {
  if (item?.state === "closed" && item.closesAt)
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: closedMessage(item.closesAt, plan.cohort.timeZone, plan.now) });
}

/** The days a learner's extensions add to one item: those for that item and those for every item (itemKey null). */
export function extensionDaysFor(extensions: readonly Extension[], itemKey: string): number {
  return extensions.filter((e) => e.itemKey === null || e.itemKey === itemKey).reduce((sum, e) => sum + e.days, 0);
}

/** Where the learner works on an item: the page of the lab's lesson, or the chapter's page. */
export function itemPath(courseSlug: string, item: ScheduleItem): string {
  const lab = item.kind === "lab" ? labs.find((l) => labItemKey(l.slug) === item.key) : undefined;
  return lab ? `/courses/${courseSlug}/${lab.lessonKey}` : `/courses/${courseSlug}/chapters/${item.chapterNumber}`;
}

/** The cohort a plan belongs to, as pages show it beside the item's dates; null when self-paced. */
export function cohortView(plan: LearnerPlan | null) {
  return plan ? { id: plan.cohort.id, name: plan.cohort.name, timeZone: plan.cohort.timeZone } : null;
}

/** An item's dates and standing as the API answers them (ISO strings). */
export function scheduleView(item: PlanItem | undefined) {
  if (!item) return null;
  return {
    opensAt: item.opensAt.toISOString(),
    dueAt: item.dueAt.toISOString(),
    closesAt: item.closesAt?.toISOString() ?? null,
    state: item.state,
    done: item.done,
    late: item.late,
    overdue: item.overdue,
    extensionDays: item.extensionDays,
  };
}

/** For a locked item: when it opens and the sentence saying so; null when it is not locked. */
export function lockedView(plan: LearnerPlan | null, item: PlanItem | undefined) {
  if (!plan || item?.state !== "locked") return null;
  return { opensAt: item.opensAt.toISOString(), message: lockedMessage(item.opensAt, plan.cohort.timeZone, plan.now) };
}

/**
 * The date the schedule counts from: the cohort's start in fixed mode; in relative mode the
 * learner's enrollment day in the cohort's zone, but never before the cohort starts.
 */
export function anchorDate(cohort: CohortRow, enrolledAt: Date): string {
  if (cohort.rule.mode === "fixed") return cohort.startDate;
  const enrolled = localDateOf(enrolledAt, cohort.timeZone);
  // ISO dates compare as strings.
  return enrolled.localeCompare(cohort.startDate) > 0 ? enrolled : cohort.startDate;
}

async function cohortBasis(tx: TenantTx, tenantId: string, cohort: CohortRow): Promise<CohortBasis> {
  const outline = await getOutline(tx, cohort.courseVersionId);
  const overrides = await listOverrides(tx, { tenantId, cohortId: cohort.id });
  return { cohort, outline, items: scheduleItems(outline, labs), overrides };
}

function datesFor(basis: CohortBasis, anchor: string): ItemDates[] {
  const { cohort, items, overrides } = basis;
  return computeSchedule({ rule: cohort.rule, items, anchorDate: anchor, timeZone: cohort.timeZone, overrides });
}

/** Joins the computed dates with one learner's extensions and completion times. */
function planItems(
  basis: CohortBasis,
  learner: { dates: ItemDates[]; extensions: readonly Extension[]; completions: readonly Completion[]; labTimes: readonly LabTimes[]; now: Date },
): PlanItem[] {
  const { cohort, outline, items } = basis;
  const doneAt = doneTimes(outline, learner);
  const datesByKey = new Map(learner.dates.map((d) => [d.key, d]));
  return items.flatMap((item) => {
    const dates = datesByKey.get(item.key);
    if (!dates) return [];
    const extensionDays = extensionDaysFor(learner.extensions, item.key);
    const status = itemStatus({
      dates,
      extensionDays,
      doneAt: doneAt(item),
      now: learner.now,
      timeZone: cohort.timeZone,
      latePolicy: cohort.latePolicy,
      closeAfterDays: cohort.closeAfterDays,
    });
    // Object.assign, not a spread: V8 copies with spreads about ten times slower here, and a
    // gradebook makes an item per learner and item (thousands; a 1,000-learner CSV, forty thousand).
    return [Object.assign({}, item, status)];
  });
}

/** Per chapter number, the keys of its lessons with text; worked out once per outline, not per learner and item. */
const lessonsWithText = new WeakMap<Outline, Map<number, string[]>>();
function textLessonKeys(outline: Outline): Map<number, string[]> {
  let keys = lessonsWithText.get(outline);
  if (!keys) {
    keys = new Map(outline.map((c) => [c.number, c.lessons.filter((l) => !l.outline).map((l) => l.key)]));
    lessonsWithText.set(outline, keys);
  }
  return keys;
}

/**
 * When one learner finished each item: a chapter when the last of its lessons with text was
 * completed (null until every one is), a lab at its first full-score attempt.
 */
function doneTimes(
  outline: Outline,
  learner: { completions: readonly Completion[]; labTimes: readonly LabTimes[] },
): (item: ScheduleItem) => Date | null {
  const chapters = textLessonKeys(outline);
  const completedAt = new Map(learner.completions.map((c) => [c.lessonKey, c.completedAt.getTime()]));
  const labDoneAt = new Map(learner.labTimes.map((l) => [labItemKey(l.labSlug), l.firstFullScoreAt]));
  return (item) => {
    if (item.kind === "lab") return labDoneAt.get(item.key) ?? null;
    const keys = chapters.get(item.chapterNumber) ?? [];
    if (keys.length === 0) return null;
    let last = Number.NEGATIVE_INFINITY;
    for (const key of keys) {
      const at = completedAt.get(key);
      if (at === undefined) return null;
      if (at > last) last = at;
    }
    return new Date(last);
  };
}

const byUser = <T extends { userId: string }>(rows: readonly T[]) => groupBy(rows, (row) => row.userId);
