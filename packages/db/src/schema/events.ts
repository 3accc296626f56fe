import { bigint, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { userRef } from "./auth";
import { courseRef } from "./course";
import { tenantRef } from "./tenants";

/**
 * What a learner did, as analytics and an xAPI export read it. `lesson_viewed` comes from the
 * visit mutation (a page render is not a view), the others from the write they describe, in
 * its transaction.
 */
export const learningEventVerbs = ["lesson_viewed", "lesson_completed", "lab_started", "lab_checked", "lab_passed"] as const;
export type LearningEventVerb = (typeof learningEventVerbs)[number];
export const learningEventVerbEnum = pgEnum("learning_event_verb", learningEventVerbs);

/**
 * Append-only: rows are never updated; they go only with their user's account or their
 * organisation (foreign keys), as the data rights require. The web app's role may insert and
 * read them, never update or delete them.
 */
export const learningEvents = pgTable(
  "learning_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantRef(),
    userId: userRef(),
    courseId: courseRef(),
    verb: learningEventVerbEnum().notNull(),
    /** The lesson's key for every verb (a lab's lesson for lab verbs). */
    lessonKey: text().notNull(),
    /** Lab verbs: the lab; null for lesson verbs. */
    labSlug: text(),
    /** lab_checked / lab_passed: the attempt graded, and its score. */
    attemptId: uuid(),
    score: integer(),
    maxScore: integer(),
    /** From the web app's clock, which deadlines are compared with. */
    occurredAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index().on(t.tenantId, t.courseId, t.occurredAt),
    index().on(t.tenantId, t.userId, t.occurredAt),
    // The gradebook: each learner's last activity in a course (an index-only max per user) and one learner's timeline.
    index().on(t.tenantId, t.courseId, t.userId, t.occurredAt),
  ],
);

/**
 * Per organisation, ISO week (Monday, UTC) and user: how many learning events and lesson
 * completions. The organisation dashboard's weekly figures read these few thousand rows instead
 * of every event of its weeks. Kept by a trigger on learning_events (migration
 * 0013_learning_event_weeks_rollup.sql) in the transaction of the insert, so it is as live as
 * the events; the web app may only read it.
 */
export const learningEventWeeks = pgTable(
  "learning_event_weeks",
  {
    tenantId: tenantRef(),
    weekStart: date({ mode: "string" }).notNull(),
    userId: userRef(),
    events: integer().notNull(),
    completions: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.weekStart, t.userId] })],
);
