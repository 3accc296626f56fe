import { and, asc, desc, eq, inArray, notExists, sql } from "drizzle-orm";
import { cohortMembers, cohorts, enrollments, labAttempts, learningEvents, memberships, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

/*
 * What the instructor dashboards read beyond a learner's plan: who is in a dashboard's scope
 * (a cohort's members, or a course's self-paced learners), when each was last active, which lab
 * steps they keep failing, one learner's timeline and attempts, and a cohort's at-risk
 * thresholds. Every function is one statement for all the learners it is given.
 */

type LearnersScope = { tenantId: string; courseId: string; userIds: readonly string[] };

/** The at-risk thresholds of a learner with no cohort (self-paced): the cohort columns' defaults, read from the table. */
export const atRiskDefaults = {
  atRiskOverdueItems: columnDefault(cohorts.atRiskOverdueItems),
  atRiskInactiveDays: columnDefault(cohorts.atRiskInactiveDays),
  atRiskStepFailures: columnDefault(cohorts.atRiskStepFailures),
};
export type AtRiskThresholds = typeof atRiskDefaults;

function columnDefault(column: { default: unknown }): number {
  if (typeof column.default !== "number") throw new Error("an at-risk threshold column lost its default");
  return column.default;
}

/** A learner in a dashboard's scope; `enrolledAt` anchors a relative cohort schedule. */
export type ScopeMember = { userId: string; displayName: string; email: string; enrolledAt: Date };

/** The members of a cohort with their names, in name order. */
export async function listCohortScopeMembers(tx: TenantTx, input: { tenantId: string; cohortId: string }): Promise<ScopeMember[]> {
  return tx
    .select({ userId: cohortMembers.userId, displayName: users.displayName, email: users.email, enrolledAt: cohortMembers.enrolledAt })
    .from(cohortMembers)
    .innerJoin(users, eq(users.id, cohortMembers.userId))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId)))
    .orderBy(asc(users.displayName), asc(users.id));
}

/**
 * The self-paced learners of a course: members of the organisation enrolled in it and in no
 * cohort of it (a learner in a cohort is that cohort's, never self-paced), in name order.
 */
export async function listSelfPacedMembers(tx: TenantTx, input: { tenantId: string; courseId: string }): Promise<ScopeMember[]> {
  return tx
    .select({ userId: enrollments.userId, displayName: users.displayName, email: users.email, enrolledAt: enrollments.createdAt })
    .from(enrollments)
    .innerJoin(memberships, and(eq(memberships.tenantId, enrollments.tenantId), eq(memberships.userId, enrollments.userId)))
    .innerJoin(users, eq(users.id, enrollments.userId))
    .where(
      and(
        eq(enrollments.tenantId, input.tenantId),
        eq(enrollments.courseId, input.courseId),
        notExists(
          tx
            .select({ one: cohortMembers.userId })
            .from(cohortMembers)
            .where(
              and(
                eq(cohortMembers.tenantId, enrollments.tenantId),
                eq(cohortMembers.courseId, enrollments.courseId),
                eq(cohortMembers.userId, enrollments.userId),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(users.displayName), asc(users.id));
}

/**
 * Each learner's latest learning event in the course (learners without one are absent): one
 * backward probe of the (tenant, course, user, time) index per learner, not an aggregate over
 * every event of the scope.
 */
export async function listLastActive(tx: TenantTx, input: LearnersScope): Promise<{ userId: string; lastActiveAt: Date }[]> {
  if (input.userIds.length === 0) return [];
  const result = await tx.execute<{ user_id: string; last_active_at: string }>(sql`
    select u.user_id, latest.occurred_at as last_active_at
    from unnest(${sql.param([...input.userIds])}::text[]) as u(user_id)
    cross join lateral (
      select ${learningEvents.occurredAt} as occurred_at from ${learningEvents}
      where ${learningEvents.tenantId} = ${input.tenantId} and ${learningEvents.courseId} = ${input.courseId} and ${learningEvents.userId} = u.user_id
      order by ${learningEvents.occurredAt} desc limit 1
    ) as latest`);
  return result.rows.map((r) => ({ userId: r.user_id, lastActiveAt: new Date(r.last_active_at) }));
}

/**
 * Per learner, lab and step: in how many graded attempts the step did not pass, from the
 * per-step results the grader stored (steps without an id, or results without steps, count
 * nothing). Only steps failed at least once appear.
 */
export async function listStepFailures(
  tx: TenantTx,
  input: LearnersScope,
): Promise<{ userId: string; labSlug: string; stepId: string; failures: number }[]> {
  if (input.userIds.length === 0) return [];
  const result = await tx.execute<{ user_id: string; lab_slug: string; step_id: string; failures: number }>(sql`
    select ${labAttempts.userId} as user_id, ${labAttempts.labSlug} as lab_slug, s.step->>'stepId' as step_id, count(*)::int as failures
    from ${labAttempts}
    cross join lateral jsonb_array_elements(
      case when jsonb_typeof(${labAttempts.result}->'steps') = 'array' then ${labAttempts.result}->'steps' else '[]'::jsonb end
    ) as s(step)
    where ${and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.courseId, input.courseId), inArray(labAttempts.userId, [...input.userIds]))}
      and jsonb_typeof(s.step->'stepId') = 'string'
      -- Compared as JSON, as the lab failure insights do: a malformed value neither fails the query nor counts.
      and not ((s.step->'passed') = 'true'::jsonb)
    group by 1, 2, 3`);
  return result.rows.map((r) => ({ userId: r.user_id, labSlug: r.lab_slug, stepId: r.step_id, failures: r.failures }));
}

/** The most events a learner's timeline shows (newest first); older ones are left out, and `more` says so. */
export const timelineLimit = 200;

/** What a learner did in the course, newest first: completions, lab starts and graded checks (views are not part of it). */
export async function listTimeline(tx: TenantTx, input: { tenantId: string; courseId: string; userId: string }) {
  const rows = await tx
    .select({
      id: learningEvents.id,
      verb: learningEvents.verb,
      lessonKey: learningEvents.lessonKey,
      labSlug: learningEvents.labSlug,
      attemptId: learningEvents.attemptId,
      score: learningEvents.score,
      maxScore: learningEvents.maxScore,
      occurredAt: learningEvents.occurredAt,
    })
    .from(learningEvents)
    .where(
      and(
        eq(learningEvents.tenantId, input.tenantId),
        eq(learningEvents.courseId, input.courseId),
        eq(learningEvents.userId, input.userId),
        inArray(learningEvents.verb, ["lesson_completed", "lab_started", "lab_checked"]),
      ),
    )
    .orderBy(desc(learningEvents.occurredAt), desc(learningEvents.id))
    .limit(timelineLimit + 1);
  return { events: rows.slice(0, timelineLimit), more: rows.length > timelineLimit };
}

/** Every graded attempt of the learner in the course, newest first, with the grader's result. */
export async function listLearnerAttempts(tx: TenantTx, input: { tenantId: string; courseId: string; userId: string }) {
  return tx
    .select({
      id: labAttempts.id,
      labSlug: labAttempts.labSlug,
      labVersion: labAttempts.labVersion,
      score: labAttempts.score,
      maxScore: labAttempts.maxScore,
      result: labAttempts.result,
      createdAt: labAttempts.createdAt,
    })
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.courseId, input.courseId), eq(labAttempts.userId, input.userId)))
    .orderBy(desc(labAttempts.createdAt), desc(labAttempts.id));
}

/** Every graded attempt of the given learners in the course, in learner then time order, for the attempts export. */
export async function listScopeAttempts(tx: TenantTx, input: LearnersScope) {
  if (input.userIds.length === 0) return [];
  return tx
    .select({
      id: labAttempts.id,
      userId: labAttempts.userId,
      labSlug: labAttempts.labSlug,
      labVersion: labAttempts.labVersion,
      score: labAttempts.score,
      maxScore: labAttempts.maxScore,
      result: labAttempts.result,
      createdAt: labAttempts.createdAt,
    })
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.courseId, input.courseId), inArray(labAttempts.userId, [...input.userIds])))
    .orderBy(asc(labAttempts.userId), asc(labAttempts.createdAt), asc(labAttempts.id));
}

/** Sets some of a cohort's at-risk thresholds; returns the cohort as it is now, or null when it is not the tenant's. */
export async function updateThresholds(tx: TenantTx, input: { tenantId: string; cohortId: string; patch: Partial<AtRiskThresholds> }) {
  const [row] = await tx
    .update(cohorts)
    .set(input.patch)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)))
    .returning();
  return row ?? null;
}
