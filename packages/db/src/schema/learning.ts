import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { userRef, users } from "./auth";
import { createdAt } from "./columns";
import { courseRef } from "./course";
import { tenantRef } from "./tenants";

/** A course an organisation has made available to its members. */
export const tenantCourses = pgTable(
  "tenant_courses",
  {
    tenantId: tenantRef(),
    courseId: courseRef(),
    /** Null once that user has deleted their account: the course stays enabled for the others. */
    enabledBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.courseId] })],
);

export const enrollments = pgTable(
  "enrollments",
  {
    tenantId: tenantRef(),
    courseId: courseRef(),
    userId: userRef(),
    /** Where "Continue" takes the learner. */
    lastLessonKey: text(),
    lastVisitedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.courseId, t.userId] }), index().on(t.userId)],
);

/**
 * Progress is keyed by the lesson's stable key, not by a version's row, so it survives a new
 * course version; `contentHash` is the text the learner completed, to flag lessons updated since.
 */
export const lessonCompletions = pgTable(
  "lesson_completions",
  {
    tenantId: tenantRef(),
    courseId: courseRef(),
    userId: userRef(),
    lessonKey: text().notNull(),
    contentHash: text().notNull(),
    completedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.courseId, t.userId, t.lessonKey] })],
);

/**
 * Per organisation, course, part (of the course's current version) and learner: how many of the
 * part's lessons the learner has completed; a row only while that is above 0. The organisation
 * dashboard's completion funnel counts these few rows per learner instead of mapping every
 * completion to its part. Kept by triggers on lesson_completions and rebuilt for a course when
 * an edition is published (migration 0015_learner_part_progress_rollup.sql), so it is as live
 * as the completions; the web app may only read it.
 */
export const learnerPartProgress = pgTable(
  "learner_part_progress",
  {
    tenantId: tenantRef(),
    courseId: courseRef(),
    partNumber: integer().notNull(),
    userId: userRef(),
    completed: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.courseId, t.partNumber, t.userId] })],
);
