import { and, asc, eq, sql } from "drizzle-orm";
import { courses, enrollments, lessonCompletions, lessons, memberships, tenantCourses, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

type Scope = { tenantId: string; courseId: string };
type LearnerScope = Scope & { userId: string };

/** Idempotent: enabling an enabled course changes nothing. */
export async function enableCourse(tx: TenantTx, input: Scope & { enabledBy: string }) {
  await tx.insert(tenantCourses).values(input).onConflictDoNothing();
}

export async function listEnabledCourses(tx: TenantTx, input: { tenantId: string }) {
  return tx
    .select({ id: courses.id, slug: courses.slug, title: courses.title })
    .from(tenantCourses)
    .innerJoin(courses, eq(courses.id, tenantCourses.courseId))
    .where(eq(tenantCourses.tenantId, input.tenantId))
    .orderBy(asc(courses.title));
}

/** The course, if this tenant has enabled it; a course of another tenant's catalogue is not found. */
export async function findEnabledCourse(tx: TenantTx, input: { tenantId: string } & ({ id: string } | { slug: string })) {
  const [row] = await tx
    .select({ id: courses.id, slug: courses.slug, title: courses.title })
    .from(tenantCourses)
    .innerJoin(courses, eq(courses.id, tenantCourses.courseId))
    .where(and(eq(tenantCourses.tenantId, input.tenantId), "id" in input ? eq(courses.id, input.id) : eq(courses.slug, input.slug)));
  return row ?? null;
}

/** Idempotent: enrolling twice keeps the first enrolment and its "Continue" position. */
export async function enroll(tx: TenantTx, input: LearnerScope) {
  await tx.insert(enrollments).values(input).onConflictDoNothing();
}

export async function getEnrollment(tx: TenantTx, input: LearnerScope) {
  const [row] = await tx
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.tenantId, input.tenantId), eq(enrollments.courseId, input.courseId), eq(enrollments.userId, input.userId)));
  return row ?? null;
}

export async function recordVisit(tx: TenantTx, input: LearnerScope & { lessonKey: string }) {
  await tx
    .update(enrollments)
    .set({ lastLessonKey: input.lessonKey, lastVisitedAt: new Date() })
    .where(and(eq(enrollments.tenantId, input.tenantId), eq(enrollments.courseId, input.courseId), eq(enrollments.userId, input.userId)));
}

/**
 * Marks a lesson complete against the text the learner just read. Idempotent; completing again
 * after the lesson was updated refreshes the stored hash, which clears the "updated" mark, and
 * keeps the first `completedAt`. That time is the web app's clock (not the database's), because
 * cohort deadlines, read from the same clock, are compared with it.
 * Returns whether this call newly completed the lesson (so exactly one "completed" event is written).
 */
export async function completeLesson(
  tx: TenantTx,
  input: LearnerScope & { lessonKey: string; contentHash: string; completedAt: Date },
): Promise<{ inserted: boolean }> {
  const [row] = await tx
    .insert(lessonCompletions)
    .values(input)
    .onConflictDoUpdate({
      target: [lessonCompletions.tenantId, lessonCompletions.courseId, lessonCompletions.userId, lessonCompletions.lessonKey],
      set: { contentHash: input.contentHash },
    })
    // PostgreSQL's own marker: a row this statement inserted has no deleting transaction (xmax 0); an updated one has.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return { inserted: row?.inserted === true };
}

export async function uncompleteLesson(tx: TenantTx, input: LearnerScope & { lessonKey: string }) {
  await tx
    .delete(lessonCompletions)
    .where(
      and(
        eq(lessonCompletions.tenantId, input.tenantId),
        eq(lessonCompletions.courseId, input.courseId),
        eq(lessonCompletions.userId, input.userId),
        eq(lessonCompletions.lessonKey, input.lessonKey),
      ),
    );
}

/** The learner's completions, each with the hash of the text they completed. */
export async function listCompletions(tx: TenantTx, input: LearnerScope) {
  return tx
    .select({ lessonKey: lessonCompletions.lessonKey, contentHash: lessonCompletions.contentHash, completedAt: lessonCompletions.completedAt })
    .from(lessonCompletions)
    .where(
      and(eq(lessonCompletions.tenantId, input.tenantId), eq(lessonCompletions.courseId, input.courseId), eq(lessonCompletions.userId, input.userId)),
    );
}

/** Per member: lessons completed in the course's given version (keys that no longer exist don't count). */
export async function progressByMember(tx: TenantTx, input: Scope & { versionId: string }) {
  return tx
    .select({
      userId: users.id,
      displayName: users.displayName,
      email: users.email,
      role: memberships.role,
      enrolled: sql<boolean>`${enrollments.userId} is not null`,
      completed: sql<number>`count(${lessons.key})::int`,
      lastVisitedAt: enrollments.lastVisitedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      enrollments,
      and(eq(enrollments.tenantId, memberships.tenantId), eq(enrollments.userId, memberships.userId), eq(enrollments.courseId, input.courseId)),
    )
    .leftJoin(
      lessonCompletions,
      and(
        eq(lessonCompletions.tenantId, memberships.tenantId),
        eq(lessonCompletions.userId, memberships.userId),
        eq(lessonCompletions.courseId, input.courseId),
      ),
    )
    .leftJoin(lessons, and(eq(lessons.courseVersionId, input.versionId), eq(lessons.key, lessonCompletions.lessonKey)))
    .where(eq(memberships.tenantId, input.tenantId))
    .groupBy(users.id, users.displayName, users.email, memberships.role, enrollments.userId, enrollments.lastVisitedAt)
    .orderBy(asc(users.displayName));
}
