import { liveSandboxStates } from "@cookbook/lab-runner-api/vocabulary";
import { findingOf } from "@cookbook/lab-runner-api/findings";
import { and, eq, inArray, sql } from "drizzle-orm";
import { labAttempts, learnerPartProgress, learningEventWeeks, roles, type Role } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

/*
 * What the insight dashboards read: where a scope's learners fail lab steps, and the
 * organisation's activity. Every function is a fixed number of statements whatever the
 * number of learners or attempts; grouping happens in SQL, over the JSON the grader stored.
 */

type AttemptScope = { tenantId: string; courseId: string; userIds: readonly string[] };

/** One step of one lab, over the learners of a scope who attempted it. */
export type StepFailureStats = {
  labSlug: string;
  stepId: string;
  /** The step's title as the grader last reported it, for steps the lab no longer defines. */
  title: string;
  attempted: number;
  passed: number;
  failedAtLeastOnce: number;
  failedFirst: number;
  /** Over learners who passed: attempts up to and including their first pass; null when nobody passed. */
  medianAttemptsToPass: number | null;
};

export type FindingCount = { finding: string; example: string; count: number };

/** A step's ordinal, per learner: the n-th graded attempt that contained this step. */
const stepsOf = (scope: AttemptScope) => sql`
  select ${labAttempts.userId} as user_id, ${labAttempts.labSlug} as lab_slug, ${labAttempts.createdAt} as created_at,
    s.step, s.step->>'stepId' as step_id,
    row_number() over (
      partition by ${labAttempts.userId}, ${labAttempts.labSlug}, s.step->>'stepId' order by ${labAttempts.createdAt}, ${labAttempts.id}
    ) as n
  from ${labAttempts}
  cross join lateral jsonb_array_elements(
    case when jsonb_typeof(${labAttempts.result}->'steps') = 'array' then ${labAttempts.result}->'steps' else '[]'::jsonb end
  ) as s(step)
  where ${and(eq(labAttempts.tenantId, scope.tenantId), eq(labAttempts.courseId, scope.courseId), inArray(labAttempts.userId, [...scope.userIds]))}
    and jsonb_typeof(s.step->'stepId') = 'string'`;

/**
 * Per lab and step of the course: how many of the scope's learners attempted it, passed it in
 * some attempt, failed it at least once, failed their first attempt, and the median number of
 * attempts to the first pass. One statement: steps unnested from each attempt's result, then
 * one row per learner and step, then one per step.
 */
export async function stepFailureStats(tx: TenantTx, scope: AttemptScope): Promise<StepFailureStats[]> {
  if (scope.userIds.length === 0) return [];
  // Compared as JSON, not cast: a malformed `passed` counts as not passed instead of failing the query.
  const passed = sql`(step->'passed') = 'true'::jsonb`;
  const result = await tx.execute<{
    lab_slug: string;
    step_id: string;
    title: string | null;
    attempted: number;
    passed: number;
    failed_at_least_once: number;
    failed_first: number;
    median: number | null;
  }>(sql`
    with steps as (${stepsOf(scope)}),
    learners as (
      select lab_slug, step_id, user_id, max(step->>'title') as title,
        bool_or(${passed}) as passed,
        bool_or(not ${passed}) as failed,
        bool_or(n = 1 and not ${passed}) as failed_first,
        min(n) filter (where ${passed}) as attempts_to_pass
      from steps group by lab_slug, step_id, user_id
    )
    select lab_slug, step_id, max(title) as title,
      count(*)::int as attempted,
      (count(*) filter (where passed))::int as passed,
      (count(*) filter (where failed))::int as failed_at_least_once,
      (count(*) filter (where failed_first))::int as failed_first,
      percentile_cont(0.5) within group (order by attempts_to_pass)::float8 as median
    from learners group by lab_slug, step_id`);
  return result.rows.map((r) => ({
    labSlug: r.lab_slug,
    stepId: r.step_id,
    title: r.title ?? r.step_id,
    attempted: r.attempted,
    passed: r.passed,
    failedAtLeastOnce: r.failed_at_least_once,
    failedFirst: r.failed_first,
    medianAttemptsToPass: r.median,
  }));
}

/**
 * The failing check results of each lab step, grouped by finding code, most frequent first
 * (at most `limit` per step), each with its newest feedback text as the example. SQL groups by
 * code, and results stored before codes existed by their exact feedback; those groups are then
 * merged by `findingOf` (feedback with its numbers and quoted values taken out), which is code
 * the grader owns and SQL should not copy.
 */
export async function stepFindings(tx: TenantTx, scope: AttemptScope & { limit: number }): Promise<Map<string, FindingCount[]>> {
  const byStep = new Map<string, FindingCount[]>();
  if (scope.userIds.length === 0) return byStep;
  const result = await tx.execute<{ lab_slug: string; step_id: string; finding: string | null; feedback: string; newest: string; count: number }>(sql`
    with steps as (${stepsOf(scope)})
    select lab_slug, step_id, c.chk->>'finding' as finding,
      case when c.chk->>'finding' is null then coalesce(c.chk->>'feedback', '') end as feedback_key,
      (array_agg(coalesce(c.chk->>'feedback', '') order by created_at desc))[1] as feedback,
      to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as newest,
      count(*)::int as count
    from steps
    cross join lateral jsonb_array_elements(case when jsonb_typeof(step->'checks') = 'array' then step->'checks' else '[]'::jsonb end) as c(chk)
    where (c.chk->'passed') is distinct from 'true'::jsonb
    group by lab_slug, step_id, finding, feedback_key`);
  // Per step and finding: the total, and the newest feedback of all its SQL groups (ISO text in UTC compares as time).
  const merged = new Map<string, { labSlug: string; stepId: string; finding: string; count: number; example: string; newest: string }>();
  for (const row of result.rows) {
    const finding = findingOf({ finding: row.finding ?? undefined, feedback: row.feedback });
    const key = JSON.stringify([row.lab_slug, row.step_id, finding]);
    const seen = merged.get(key);
    if (!seen) merged.set(key, { labSlug: row.lab_slug, stepId: row.step_id, finding, count: row.count, example: row.feedback, newest: row.newest });
    else {
      seen.count += row.count;
      if (row.newest > seen.newest) Object.assign(seen, { example: row.feedback, newest: row.newest });
    }
  }
  for (const m of merged.values()) {
    const key = stepKey(m.labSlug, m.stepId);
    byStep.set(key, [...(byStep.get(key) ?? []), { finding: m.finding, example: m.example, count: m.count }]);
  }
  for (const [key, findings] of byStep) {
    byStep.set(key, findings.sort((a, b) => b.count - a.count || a.finding.localeCompare(b.finding)).slice(0, scope.limit));
  }
  return byStep;
}

/** The key `stepFindings` files a step's findings under. */
export const stepKey = (labSlug: string, stepId: string) => `${labSlug}\u0000${stepId}`;

/** Monday 00:00 UTC of each of the `count` ISO weeks ending with the one `now` is in, oldest first. */
export function isoWeekStarts(now: Date, count: number): Date[] {
  const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
  return Array.from({ length: count }, (_, i) => new Date(monday - (count - 1 - i) * WEEK_MS));
}

const WEEK_MS = 7 * 24 * 3_600_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export type WeekCount = { weekStart: string; value: number };

/**
 * Per ISO week (UTC: an organisation has no time zone of its own) of the given ones: distinct
 * users with any learning event, lesson completions, and hours sandboxes ran. Weeks without
 * activity are there with 0. Two statements.
 *
 * A sandbox ran from its creation until it ended or, if earlier, its last activity (an idle
 * sandbox waiting for its idle timeout is not learning); a still-live one until now, or its
 * last activity. Its time is split over the weeks it spans.
 */
export async function weeklyActivity(tx: TenantTx, input: { tenantId: string; weekStarts: readonly Date[]; now: Date }) {
  const first = input.weekStarts[0];
  const last = input.weekStarts.at(-1);
  if (!first || !last) return { activeLearners: [], completions: [], labHours: [] };
  const end = new Date(last.getTime() + WEEK_MS);
  // The rollup the learning_events trigger keeps (one row per week and user), not the events themselves.
  const events = await tx.execute<{ week: string; active: number; completions: number }>(sql`
    select to_char(${learningEventWeeks.weekStart}, 'YYYY-MM-DD') as week, count(*)::int as active, sum(${learningEventWeeks.completions})::int as completions
    from ${learningEventWeeks}
    where ${learningEventWeeks.tenantId} = ${input.tenantId} and ${learningEventWeeks.weekStart} >= ${isoDay(first)} and ${learningEventWeeks.weekStart} < ${isoDay(end)}
    group by 1`);
  // Weeks as 168 hours, so the session's time zone and its daylight saving cannot shift them.
  const hours = await tx.execute<{ week: string; seconds: number }>(sql`
    with runs as (
      select created_at, least(coalesce(ended_at, ${input.now}), last_activity_at) as run_end
      from lab_sandboxes where tenant_id = ${input.tenantId} and created_at < ${end}
    )
    select to_char(w.ws at time zone 'UTC', 'YYYY-MM-DD') as week,
      sum(extract(epoch from least(runs.run_end, w.ws + interval '168 hours') - greatest(runs.created_at, w.ws)))::float8 as seconds
    from generate_series(${first}::timestamptz, ${last}::timestamptz, interval '168 hours') as w(ws)
    join runs on runs.run_end > w.ws and runs.created_at < w.ws + interval '168 hours'
    group by 1`);
  const eventsByWeek = new Map(events.rows.map((r) => [r.week, r]));
  const secondsByWeek = new Map(hours.rows.map((r) => [r.week, r.seconds]));
  const weeks = input.weekStarts.map(isoDay);
  return {
    activeLearners: weeks.map((weekStart) => ({ weekStart, value: eventsByWeek.get(weekStart)?.active ?? 0 })),
    completions: weeks.map((weekStart) => ({ weekStart, value: eventsByWeek.get(weekStart)?.completions ?? 0 })),
    // Tenths of an hour: enough for a chart, no false precision.
    labHours: weeks.map((weekStart) => ({ weekStart, value: Math.round((secondsByWeek.get(weekStart) ?? 0) / 360) / 10 })),
  };
}

/** How many members each role has (every role present, 0 when nobody has it). */
export async function membersPerRole(tx: TenantTx, input: { tenantId: string }): Promise<Record<Role, number>> {
  const result = await tx.execute<{ role: Role; n: number }>(
    sql`select role, count(*)::int as n from memberships where tenant_id = ${input.tenantId} group by role`,
  );
  const counts = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
  for (const row of result.rows) counts[row.role] = row.n;
  return counts;
}

/** Every cohort with its seats used and its limit (null: no limit), by name. */
export async function cohortSeats(tx: TenantTx, input: { tenantId: string }) {
  const result = await tx.execute<{ cohort_id: string; name: string; used: number; seat_limit: number | null }>(sql`
    select c.id as cohort_id, c.name, c.seat_limit, (select count(*) from cohort_members m where m.cohort_id = c.id)::int as used
    from cohorts c where c.tenant_id = ${input.tenantId} order by c.name, c.id`);
  return result.rows.map((r) => ({ cohortId: r.cohort_id, name: r.name, used: r.used, limit: r.seat_limit }));
}

/** Sandboxes starting or running now. */
export async function countLiveSandboxes(tx: TenantTx, input: { tenantId: string }): Promise<number> {
  const result = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from lab_sandboxes
    where tenant_id = ${input.tenantId} and state in (${sql.join(
      liveSandboxStates.map((s) => sql`${s}`),
      sql`, `,
    )})`);
  return result.rows[0]?.n ?? 0;
}

/**
 * Per course the organisation has enabled, per part of its current version: how many enrolled
 * members completed at least one lesson of that part, and how many are enrolled. Members who
 * left the organisation do not count (their enrollments and completions stay behind).
 */
export async function completionFunnel(tx: TenantTx, input: { tenantId: string }) {
  const result = await tx.execute<{
    course_id: string;
    title: string;
    part_number: number;
    part_title: string;
    reached: number;
    enrolled: number;
  }>(sql`
    with current_versions as (
      select distinct on (v.course_id) v.course_id, v.id as version_id
      from course_versions v join tenant_courses tc on tc.course_id = v.course_id and tc.tenant_id = ${input.tenantId}
      order by v.course_id, v.sequence desc
    ),
    parts as (
      select cv.course_id, ch.part_number, min(ch.part_title) as part_title
      from current_versions cv join chapters ch on ch.course_version_id = cv.version_id
      group by cv.course_id, ch.part_number
    ),
    learners as (
      select e.course_id, e.user_id from enrollments e
      join memberships m on m.tenant_id = e.tenant_id and m.user_id = e.user_id
      where e.tenant_id = ${input.tenantId}
    ),
    -- The rollup the lesson_completions triggers keep: a row per learner and part they have completed lessons in.
    reached as (
      select p.course_id, p.part_number, count(*)::int as n
      from ${learnerPartProgress} p join learners le on le.course_id = p.course_id and le.user_id = p.user_id
      where p.tenant_id = ${input.tenantId}
      group by 1, 2
    ),
    enrolled as (select course_id, count(*)::int as n from learners group by course_id)
    select p.course_id, c.title, p.part_number, p.part_title, coalesce(r.n, 0) as reached, coalesce(e.n, 0) as enrolled
    from parts p
    join courses c on c.id = p.course_id
    left join reached r on r.course_id = p.course_id and r.part_number = p.part_number
    left join enrolled e on e.course_id = p.course_id
    order by c.title, p.course_id, p.part_number`);
  const courses = new Map<
    string,
    { courseId: string; title: string; enrolled: number; parts: { partNumber: number; title: string; learners: number; share: number | null }[] }
  >();
  for (const r of result.rows) {
    const course = courses.get(r.course_id) ?? { courseId: r.course_id, title: r.title, enrolled: r.enrolled, parts: [] };
    course.parts.push({
      partNumber: r.part_number,
      title: r.part_title,
      learners: r.reached,
      share: r.enrolled === 0 ? null : r.reached / r.enrolled,
    });
    courses.set(r.course_id, course);
  }
  return [...courses.values()];
}
