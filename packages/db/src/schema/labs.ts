import { sandboxEndReasons, sandboxLifecycleStates } from "@cookbook/lab-runner-api/vocabulary";
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { userRef } from "./auth";
import { createdAt } from "./columns";
import { courseRef } from "./course";
import { tenantRef } from "./tenants";

// The lab vocabulary (states, end reasons and their messages) is defined in the API package.
export const sandboxStateEnum = pgEnum("lab_sandbox_state", sandboxLifecycleStates);
export const sandboxEndReasonEnum = pgEnum("lab_sandbox_end_reason", sandboxEndReasons);

const moment = () => timestamp({ withTimezone: true, mode: "date" });

/**
 * One learner's sandbox for one lab, written only by lab-runner. Rows outlive their sandbox
 * (state `ended`) so attempts keep pointing at them and limits count only live rows.
 */
export const labSandboxes = pgTable(
  "lab_sandboxes",
  {
    /** The driver's sandbox id: a DNS label, also the local directory or Kubernetes namespace. */
    id: text().primaryKey(),
    tenantId: tenantRef(),
    userId: userRef(),
    labSlug: text().notNull(),
    labVersion: integer().notNull(),
    /** Generates this sandbox's data, so one learner's answer does not pass in another's sandbox. */
    seed: text().notNull(),
    driver: text().notNull(),
    state: sandboxStateEnum().notNull().default("provisioning"),
    /** What went wrong, for `failed` sandboxes and failed starts. */
    failure: text(),
    endedReason: sandboxEndReasonEnum(),
    createdAt: createdAt(),
    expiresAt: moment().notNull(),
    lastActivityAt: moment().notNull().defaultNow(),
    endedAt: moment(),
  },
  (t) => [
    index().on(t.tenantId, t.state),
    index().on(t.userId, t.state),
    index("lab_sandboxes_live_idx").on(t.tenantId, t.userId).where(sql`${t.state} in ('provisioning', 'running')`),
  ],
);

/** Every "Check my work", with the lab version it was graded against. */
export const labAttempts = pgTable(
  "lab_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    userId: userRef(),
    courseId: courseRef(),
    lessonKey: text().notNull(),
    sandboxId: text()
      .notNull()
      .references(() => labSandboxes.id, { onDelete: "cascade" }),
    labSlug: text().notNull(),
    labVersion: integer().notNull(),
    score: integer().notNull(),
    maxScore: integer().notNull(),
    /** Per-step results as the grader returned them (LabGrade). */
    result: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.tenantId, t.userId, t.labSlug),
    // The dashboards: a course's attempts for a set of learners (gradebook, failure patterns, exports), oldest first per learner.
    index().on(t.tenantId, t.courseId, t.userId, t.createdAt),
  ],
);

/**
 * Each hint a learner revealed for a failed step of one of their attempts (the lab panel shows
 * them one at a time), for the dashboards. Revealing the same hint again records nothing new.
 */
export const labHintReveals = pgTable(
  "lab_hint_reveals",
  {
    tenantId: tenantRef(),
    attemptId: uuid()
      .notNull()
      .references(() => labAttempts.id, { onDelete: "cascade" }),
    stepId: text().notNull(),
    /** The hint's place among the step's hints, from 0; the last of several gives the answer away. */
    hintIndex: integer().notNull(),
    /** The web app's clock. */
    revealedAt: moment().notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.stepId, t.hintIndex] }), index().on(t.tenantId, t.attemptId)],
);
