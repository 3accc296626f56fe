import { and, asc, eq } from "drizzle-orm";
import type { Database, Executor } from "../client";
import {
  cohortAnnouncements,
  cohortAuditLog,
  cohortExtensions,
  cohortInstructors,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  courses,
  enrollments,
  invitations,
  labAttempts,
  labHintReveals,
  labSandboxes,
  learningEvents,
  lessonCompletions,
  memberships,
  scheduleTemplates,
  sessions,
  tenantCourses,
  tenants,
  users,
} from "../schema/index";
import type { TenantTx } from "../tenant-scope";
import {
  announcementExport,
  attemptExport,
  hintRevealExport,
  auditEntryExport,
  cohortExport,
  cohortInstructorExport,
  cohortMemberExport,
  completionExport,
  enrollmentExport,
  extensionExport,
  learningEventExport,
  sandboxExport,
  scheduleOverrideExport,
  scheduleTemplateExport,
} from "./export-columns";

/**
 * Platform-level queries: they run before a tenant is resolved (membership lookup, creating
 * an organisation), so they use the platform connection rather than `withTenant`.
 */

export async function createTenantWithOwner(db: Database, input: { slug: string; name: string; ownerId: string }) {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ slug: input.slug, name: input.name })
      .onConflictDoNothing({ target: tenants.slug })
      .returning();
    if (!tenant) return null;
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: input.ownerId, role: "owner" });
    return tenant;
  });
}

export async function getMembership(db: Executor, input: { tenantId: string; userId: string }) {
  const [row] = await db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, input.userId), eq(memberships.tenantId, input.tenantId)));
  return row ?? null;
}

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(tenants.name));
}

/**
 * An organisation's data for its owner to download: the organisation, its members, invitations
 * (never token hashes), enabled courses, enrollments, progress, lab sandboxes (without seeds,
 * the grader's key), attempts, learning events, and its cohorts (without their invitation codes,
 * see `cohortExport`) with their instructors, members, schedule templates and overrides,
 * extensions, announcements and audit log. Runs inside the tenant's scope, so row-level security
 * holds it to this organisation whatever the filters say.
 */
export async function exportTenantData(tx: TenantTx, input: { tenantId: string }) {
  const { tenantId } = input;
  const [organisation] = await tx
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, createdAt: tenants.createdAt })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!organisation) return null;
  // One query at a time: a transaction's client runs them in order anyway.
  const members = await tx
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.displayName));
  const invited = await tx
    .select({
      id: invitations.id,
      role: invitations.role,
      createdBy: invitations.createdBy,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      revokedAt: invitations.revokedAt,
      uses: invitations.uses,
      maxUses: invitations.maxUses,
    })
    .from(invitations)
    .where(eq(invitations.tenantId, tenantId))
    .orderBy(asc(invitations.createdAt));
  const enabledCourses = await tx
    .select({ course: courses.slug, enabledBy: tenantCourses.enabledBy, enabledAt: tenantCourses.createdAt })
    .from(tenantCourses)
    .innerJoin(courses, eq(courses.id, tenantCourses.courseId))
    .where(eq(tenantCourses.tenantId, tenantId))
    .orderBy(asc(courses.slug));
  const enrolled = await tx
    .select({ userId: enrollments.userId, ...enrollmentExport })
    .from(enrollments)
    .innerJoin(courses, eq(courses.id, enrollments.courseId))
    .where(eq(enrollments.tenantId, tenantId))
    .orderBy(asc(enrollments.createdAt));
  const progress = await tx
    .select({ userId: lessonCompletions.userId, ...completionExport })
    .from(lessonCompletions)
    .innerJoin(courses, eq(courses.id, lessonCompletions.courseId))
    .where(eq(lessonCompletions.tenantId, tenantId))
    .orderBy(asc(lessonCompletions.completedAt));
  const sandboxes = await tx
    .select({ userId: labSandboxes.userId, ...sandboxExport })
    .from(labSandboxes)
    .where(eq(labSandboxes.tenantId, tenantId))
    .orderBy(asc(labSandboxes.createdAt));
  const attempts = await tx
    .select({ userId: labAttempts.userId, ...attemptExport })
    .from(labAttempts)
    .innerJoin(courses, eq(courses.id, labAttempts.courseId))
    .where(eq(labAttempts.tenantId, tenantId))
    .orderBy(asc(labAttempts.createdAt));
  const hintReveals = await tx
    .select(hintRevealExport)
    .from(labHintReveals)
    .where(eq(labHintReveals.tenantId, tenantId))
    .orderBy(asc(labHintReveals.revealedAt), asc(labHintReveals.attemptId), asc(labHintReveals.stepId), asc(labHintReveals.hintIndex));
  const events = await tx
    .select({ userId: learningEvents.userId, ...learningEventExport })
    .from(learningEvents)
    .innerJoin(courses, eq(courses.id, learningEvents.courseId))
    .where(eq(learningEvents.tenantId, tenantId))
    .orderBy(asc(learningEvents.id));
  const cohortRows = await tx
    .select({ ...cohortExport, course: courses.slug })
    .from(cohorts)
    .innerJoin(courses, eq(courses.id, cohorts.courseId))
    .where(eq(cohorts.tenantId, tenantId))
    .orderBy(asc(cohorts.createdAt), asc(cohorts.id));
  const templates = await tx
    .select(scheduleTemplateExport)
    .from(scheduleTemplates)
    .where(eq(scheduleTemplates.tenantId, tenantId))
    .orderBy(asc(scheduleTemplates.createdAt), asc(scheduleTemplates.id));
  const instructors = await tx
    .select({ userId: cohortInstructors.userId, ...cohortInstructorExport })
    .from(cohortInstructors)
    .where(eq(cohortInstructors.tenantId, tenantId))
    .orderBy(asc(cohortInstructors.cohortId), asc(cohortInstructors.createdAt));
  const cohortMemberRows = await tx
    .select({ userId: cohortMembers.userId, ...cohortMemberExport, addedBy: cohortMembers.addedBy })
    .from(cohortMembers)
    .where(eq(cohortMembers.tenantId, tenantId))
    .orderBy(asc(cohortMembers.cohortId), asc(cohortMembers.enrolledAt));
  const overrides = await tx
    .select(scheduleOverrideExport)
    .from(cohortScheduleOverrides)
    .where(eq(cohortScheduleOverrides.tenantId, tenantId))
    .orderBy(asc(cohortScheduleOverrides.cohortId), asc(cohortScheduleOverrides.itemKey));
  const extensions = await tx
    .select({ userId: cohortExtensions.userId, ...extensionExport, grantedBy: cohortExtensions.grantedBy, revokedBy: cohortExtensions.revokedBy })
    .from(cohortExtensions)
    .where(eq(cohortExtensions.tenantId, tenantId))
    .orderBy(asc(cohortExtensions.createdAt), asc(cohortExtensions.id));
  const announcements = await tx
    .select(announcementExport)
    .from(cohortAnnouncements)
    .where(eq(cohortAnnouncements.tenantId, tenantId))
    .orderBy(asc(cohortAnnouncements.createdAt), asc(cohortAnnouncements.id));
  const auditLog = await tx
    .select(auditEntryExport)
    .from(cohortAuditLog)
    .where(eq(cohortAuditLog.tenantId, tenantId))
    .orderBy(asc(cohortAuditLog.createdAt), asc(cohortAuditLog.id));
  return {
    organisation,
    members,
    invitations: invited,
    enabledCourses,
    enrollments: enrolled,
    progress,
    labSandboxes: sandboxes,
    labAttempts: attempts,
    labHintReveals: hintReveals,
    learningEvents: events,
    cohorts: cohortRows,
    scheduleTemplates: templates,
    cohortInstructors: instructors,
    cohortMembers: cohortMemberRows,
    scheduleOverrides: overrides,
    cohortExtensions: extensions,
    cohortAnnouncements: announcements,
    cohortAuditLog: auditLog,
  };
}

/**
 * Deletes the organisation and, in the same statement (the tenant_id foreign keys cascade),
 * every row of it in every table. Run in the tenant's own scope: row-level security lets the
 * DELETE see only this tenant. Returns false when it is already gone.
 */
export async function deleteTenant(tx: TenantTx, input: { tenantId: string }): Promise<boolean> {
  const rows = await tx.delete(tenants).where(eq(tenants.id, input.tenantId)).returning({ id: tenants.id });
  return rows.length === 1;
}

/** Sessions that had the deleted organisation open go back to choosing one. */
export async function clearActiveTenant(db: Executor, input: { tenantId: string }) {
  await db.update(sessions).set({ activeTenantId: null }).where(eq(sessions.activeTenantId, input.tenantId));
}
