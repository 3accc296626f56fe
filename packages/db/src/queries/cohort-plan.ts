import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { cohortExtensions, cohortMembers, cohorts, courses, courseVersions, labAttempts, lessonCompletions, tenantCourses } from "../schema/index";
import type { TenantTx } from "../tenant-scope";
import type { CohortRow } from "./cohorts";

/*
 * What a learner's schedule is computed from: their cohort membership, the cohort's overrides
 * and extensions, and when they completed lessons and labs. The queries for a roster take every
 * member at once (one query per table), not one learner at a time.
 */

type LearnerScope = { tenantId: string; courseId: string; userId: string };
type CohortScope = { tenantId: string; cohortId: string };

export type CohortMemberRow = typeof cohortMembers.$inferSelect;

/** The learner's cohort for a course (at most one: unique per tenant, course and user), or null when they learn self-paced. */
export async function findLearnerCohort(tx: TenantTx, input: LearnerScope): Promise<{ member: CohortMemberRow; cohort: CohortRow } | null> {
  const [row] = await tx
    .select({ member: cohortMembers, cohort: cohorts })
    .from(cohortMembers)
    .innerJoin(cohorts, and(eq(cohorts.id, cohortMembers.cohortId), eq(cohorts.tenantId, cohortMembers.tenantId)))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.courseId, input.courseId), eq(cohortMembers.userId, input.userId)));
  return row ?? null;
}

/** The course version the learner's cohort is pinned to, or null when they learn self-paced. */
export async function findPinnedVersion(tx: TenantTx, input: LearnerScope) {
  const [row] = await tx
    .select({ version: courseVersions })
    .from(cohortMembers)
    .innerJoin(cohorts, and(eq(cohorts.id, cohortMembers.cohortId), eq(cohorts.tenantId, cohortMembers.tenantId)))
    .innerJoin(courseVersions, eq(courseVersions.id, cohorts.courseVersionId))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.courseId, input.courseId), eq(cohortMembers.userId, input.userId)));
  return row?.version ?? null;
}

/** Every cohort the user is a learner in, in courses the organisation still has enabled, with the course's slug and title. */
export async function listLearnerCohorts(tx: TenantTx, input: { tenantId: string; userId: string }) {
  return tx
    .select({ member: cohortMembers, cohort: cohorts, course: { id: courses.id, slug: courses.slug, title: courses.title } })
    .from(cohortMembers)
    .innerJoin(cohorts, and(eq(cohorts.id, cohortMembers.cohortId), eq(cohorts.tenantId, cohortMembers.tenantId)))
    .innerJoin(courses, eq(courses.id, cohortMembers.courseId))
    .innerJoin(tenantCourses, and(eq(tenantCourses.tenantId, cohortMembers.tenantId), eq(tenantCourses.courseId, cohortMembers.courseId)))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.userId, input.userId)))
    .orderBy(asc(cohorts.name));
}

export async function listCohortMembers(tx: TenantTx, input: CohortScope): Promise<CohortMemberRow[]> {
  return tx
    .select()
    .from(cohortMembers)
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId)));
}

/** The extensions in force (not revoked) of the given learners of the cohort; itemKey null = every item. */
export async function listActiveExtensions(tx: TenantTx, input: CohortScope & { userIds: readonly string[] }) {
  if (input.userIds.length === 0) return [];
  return tx
    .select({ userId: cohortExtensions.userId, itemKey: cohortExtensions.itemKey, days: cohortExtensions.days })
    .from(cohortExtensions)
    .where(
      and(
        eq(cohortExtensions.tenantId, input.tenantId),
        eq(cohortExtensions.cohortId, input.cohortId),
        inArray(cohortExtensions.userId, [...input.userIds]),
        isNull(cohortExtensions.revokedAt),
      ),
    );
}

/**
 * When each of the given learners completed each lesson of the course. One row per learner with
 * their completions as a JSON array, which the driver hands to JSON.parse: a gradebook reads
 * thousands of completions, and as rows each would be parsed and mapped field by field.
 */
export async function listCompletionTimes(
  tx: TenantTx,
  input: { tenantId: string; courseId: string; userIds: readonly string[] },
): Promise<{ userId: string; lessonKey: string; completedAt: Date }[]> {
  if (input.userIds.length === 0) return [];
  const result = await tx.execute<{ user_id: string; done: [string, number][] }>(sql`
    select ${lessonCompletions.userId} as user_id,
      json_agg(json_build_array(${lessonCompletions.lessonKey}, floor(extract(epoch from ${lessonCompletions.completedAt}) * 1000))) as done
    from ${lessonCompletions}
    where ${and(
      eq(lessonCompletions.tenantId, input.tenantId),
      eq(lessonCompletions.courseId, input.courseId),
      inArray(lessonCompletions.userId, [...input.userIds]),
    )}
    group by 1`);
  return result.rows.flatMap((r) => r.done.map(([lessonKey, ms]) => ({ userId: r.user_id, lessonKey, completedAt: new Date(ms) })));
}

/**
 * Per learner and lab of the course: how many attempts there were (and how many fell short of
 * the full score), the best attempt's score out of its maximum (highest share, earliest on a
 * tie), and when the first full score came (null: none yet). A lab is done at its first full
 * score, even if a later attempt scored less.
 */
export async function listLabAttemptTimes(tx: TenantTx, input: { tenantId: string; courseId: string; userIds: readonly string[] }) {
  if (input.userIds.length === 0) return [];
  const full = sql`${labAttempts.maxScore} > 0 and ${labAttempts.score} >= ${labAttempts.maxScore}`;
  const bestFirst = sql`${labAttempts.score}::float8 / nullif(${labAttempts.maxScore}, 0) desc nulls last, ${labAttempts.createdAt}`;
  return tx
    .select({
      userId: labAttempts.userId,
      labSlug: labAttempts.labSlug,
      attempts: sql<number>`count(*)::int`,
      failedAttempts: sql<number>`(count(*) filter (where not (${full})))::int`,
      bestScore: sql<number>`(array_agg(${labAttempts.score} order by ${bestFirst}))[1]`,
      bestMaxScore: sql<number>`(array_agg(${labAttempts.maxScore} order by ${bestFirst}))[1]`,
      firstFullScoreAt: sql<Date | null>`min(${labAttempts.createdAt}) filter (where ${full})`.mapWith((v: string | Date | null) =>
        v === null ? null : new Date(v),
      ),
    })
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.courseId, input.courseId), inArray(labAttempts.userId, [...input.userIds])))
    .groupBy(labAttempts.userId, labAttempts.labSlug);
}
