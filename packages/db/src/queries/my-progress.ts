import { and, desc, eq, sql } from "drizzle-orm";
import { courses, enrollments, labAttempts, tenantCourses } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

/*
 * What a learner's own dashboard reads beyond their outline and plan: the courses they are
 * enrolled in, their attempts, and the time their sandboxes ran.
 */

type Learner = { tenantId: string; userId: string };

/** The caller's enrolled courses that the organisation still has, last visited first. */
export async function listMyEnrolledCourses(tx: TenantTx, input: Learner) {
  return tx
    .select({ id: courses.id, slug: courses.slug, title: courses.title, lastVisitedAt: enrollments.lastVisitedAt })
    .from(enrollments)
    .innerJoin(tenantCourses, and(eq(tenantCourses.tenantId, enrollments.tenantId), eq(tenantCourses.courseId, enrollments.courseId)))
    .innerJoin(courses, eq(courses.id, enrollments.courseId))
    .where(and(eq(enrollments.tenantId, input.tenantId), eq(enrollments.userId, input.userId)))
    .orderBy(sql`${enrollments.lastVisitedAt} desc nulls last`, desc(enrollments.createdAt), courses.title);
}

/** The learner's attempts at every lab of a course, newest first, at most `limit`. */
export async function listMyAttempts(tx: TenantTx, input: Learner & { courseId: string; limit: number }) {
  return tx
    .select()
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.userId, input.userId), eq(labAttempts.courseId, input.courseId)))
    .orderBy(desc(labAttempts.createdAt), desc(labAttempts.id))
    .limit(input.limit);
}

/**
 * Seconds the learner spent in each lab, over all their sandboxes of it in this organisation.
 * A sandbox counts from its creation until it ended or, if earlier, its last activity: a
 * sandbox left idle until its idle timeout ended it was not being used after that activity,
 * and a live one counts up to its last activity (never beyond `now`). Never negative.
 */
export async function labSecondsByLab(tx: TenantTx, input: Learner & { now: Date }) {
  const result = await tx.execute<{ lab_slug: string; seconds: number }>(sql`
    select lab_slug,
      sum(greatest(0, extract(epoch from least(coalesce(ended_at, ${input.now}), last_activity_at, ${input.now}) - created_at)))::float8 as seconds
    from lab_sandboxes
    where tenant_id = ${input.tenantId} and user_id = ${input.userId}
    group by lab_slug
    order by lab_slug`);
  return result.rows.map((r) => ({ labSlug: r.lab_slug, seconds: r.seconds }));
}
