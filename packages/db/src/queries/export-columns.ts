import { getTableColumns } from "drizzle-orm";
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
  labAttempts,
  labHintReveals,
  labSandboxes,
  learningEvents,
  lessonCompletions,
  scheduleTemplates,
} from "../schema/index";

/*
 * The columns the two data exports take from each table, written once so that a person's
 * download (exportUserData) and their organisation's (exportTenantData) describe a row alike.
 * The person's export adds the organisation; the organisation's adds whose row it is (userId)
 * and who acted on it. Left out on purpose everywhere: sandbox seeds (the grader's key to the
 * expected answers), token hashes, cohort invitation codes.
 * Lists that name `courses.slug` need the query to join courses.
 */

export const enrollmentExport = {
  course: courses.slug,
  lastLessonKey: enrollments.lastLessonKey,
  lastVisitedAt: enrollments.lastVisitedAt,
  enrolledAt: enrollments.createdAt,
};

export const completionExport = { course: courses.slug, lessonKey: lessonCompletions.lessonKey, completedAt: lessonCompletions.completedAt };

export const sandboxExport = {
  id: labSandboxes.id,
  labSlug: labSandboxes.labSlug,
  labVersion: labSandboxes.labVersion,
  state: labSandboxes.state,
  endedReason: labSandboxes.endedReason,
  createdAt: labSandboxes.createdAt,
  endedAt: labSandboxes.endedAt,
};

export const attemptExport = {
  id: labAttempts.id,
  course: courses.slug,
  lessonKey: labAttempts.lessonKey,
  labSlug: labAttempts.labSlug,
  labVersion: labAttempts.labVersion,
  sandboxId: labAttempts.sandboxId,
  score: labAttempts.score,
  maxScore: labAttempts.maxScore,
  result: labAttempts.result,
  createdAt: labAttempts.createdAt,
};

/** The hints a person revealed, by the attempt they belong to. */
export const hintRevealExport = {
  attemptId: labHintReveals.attemptId,
  stepId: labHintReveals.stepId,
  hintIndex: labHintReveals.hintIndex,
  revealedAt: labHintReveals.revealedAt,
};

export const learningEventExport = {
  id: learningEvents.id,
  course: courses.slug,
  verb: learningEvents.verb,
  lessonKey: learningEvents.lessonKey,
  labSlug: learningEvents.labSlug,
  attemptId: learningEvents.attemptId,
  score: learningEvents.score,
  maxScore: learningEvents.maxScore,
  occurredAt: learningEvents.occurredAt,
};

/**
 * A cohort's every column (so settings added later are exported too) except the tenant, which
 * the whole export is of, and the invitation code: the code is a live credential (whoever holds
 * it joins the cohort and the organisation), and a download passes through many hands. An owner
 * who needs the link sees it on the cohort's page, where it can also be reset.
 */
const { tenantId: _tenantId, inviteCode: _inviteCode, ...cohortColumns } = getTableColumns(cohorts);
export const cohortExport = cohortColumns;

export const scheduleTemplateExport = {
  id: scheduleTemplates.id,
  name: scheduleTemplates.name,
  rule: scheduleTemplates.rule,
  revision: scheduleTemplates.revision,
  createdBy: scheduleTemplates.createdBy,
  createdAt: scheduleTemplates.createdAt,
  updatedAt: scheduleTemplates.updatedAt,
};

export const cohortInstructorExport = { cohortId: cohortInstructors.cohortId, since: cohortInstructors.createdAt };

export const cohortMemberExport = { cohortId: cohortMembers.cohortId, enrolledAt: cohortMembers.enrolledAt };

export const scheduleOverrideExport = {
  cohortId: cohortScheduleOverrides.cohortId,
  itemKey: cohortScheduleOverrides.itemKey,
  opensDay: cohortScheduleOverrides.opensDay,
  opensTime: cohortScheduleOverrides.opensTime,
  dueDay: cohortScheduleOverrides.dueDay,
  dueTime: cohortScheduleOverrides.dueTime,
  updatedBy: cohortScheduleOverrides.updatedBy,
  updatedAt: cohortScheduleOverrides.updatedAt,
};

/** What the learner it was granted to sees of an extension; the organisation's export adds who granted and revoked it. */
export const extensionExport = {
  id: cohortExtensions.id,
  cohortId: cohortExtensions.cohortId,
  /** Null: every item of the cohort. */
  itemKey: cohortExtensions.itemKey,
  days: cohortExtensions.days,
  reason: cohortExtensions.reason,
  createdAt: cohortExtensions.createdAt,
  revokedAt: cohortExtensions.revokedAt,
};

export const announcementExport = {
  id: cohortAnnouncements.id,
  cohortId: cohortAnnouncements.cohortId,
  authorId: cohortAnnouncements.authorId,
  title: cohortAnnouncements.title,
  body: cohortAnnouncements.body,
  createdAt: cohortAnnouncements.createdAt,
};

export const auditEntryExport = {
  id: cohortAuditLog.id,
  cohortId: cohortAuditLog.cohortId,
  actorId: cohortAuditLog.actorId,
  action: cohortAuditLog.action,
  detail: cohortAuditLog.detail,
  createdAt: cohortAuditLog.createdAt,
};
