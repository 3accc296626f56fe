import { and, asc, eq, notExists } from "drizzle-orm";
import { cohortMembers, enrollments, memberships, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

/*
 * What the instructor dashboards read beyond a learner's plan: who is in a dashboard's scope
 * (a cohort's members, or a course's self-paced learners).
 */

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
