import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { courseRef, courseVersions } from "./course";
import { memberships, tenantRef } from "./tenants";

const moment = () => timestamp({ withTimezone: true, mode: "date" });
/** Who did something; kept as null once that user deleted their account. */
const actorRef = () => text().references(() => users.id, { onDelete: "set null" });

export const latePolicies = ["accept_late", "close_after"] as const;
/** accept_late: work past the due time is accepted and marked late; close_after: refused `closeAfterDays` days after it. */
export type LatePolicy = (typeof latePolicies)[number];
export const latePolicyEnum = pgEnum("late_policy", latePolicies);

/** A pacing rule saved under a name, for several cohorts; `revision` counts its changes so cohorts can tell they are behind. */
export const scheduleTemplates = pgTable(
  "schedule_templates",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    name: text().notNull(),
    rule: jsonb().$type<PacingRule>().notNull(),
    revision: integer().notNull().default(1),
    createdBy: actorRef(),
    updatedAt: moment().notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.tenantId, t.name)],
);

/**
 * A group of learners going through one course on a schedule. The cohort stays on the course
 * version it started with (`courseVersionId`) until an instructor moves it.
 */
export const cohorts = pgTable(
  "cohorts",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    courseId: courseRef(),
    courseVersionId: uuid()
      .notNull()
      .references(() => courseVersions.id),
    name: text().notNull(),
    /** Calendar dates in the cohort's time zone. */
    startDate: date({ mode: "string" }).notNull(),
    endDate: date({ mode: "string" }).notNull(),
    /** An IANA zone (Europe/Berlin): the rule's times are wall-clock times there. */
    timeZone: text().notNull(),
    /** Null: no limit. */
    seatLimit: integer(),
    rule: jsonb().$type<PacingRule>().notNull(),
    /** The template the rule came from, and that template's revision when it was applied. */
    templateId: uuid().references(() => scheduleTemplates.id, { onDelete: "set null" }),
    templateRevision: integer(),
    latePolicy: latePolicyEnum().notNull().default("accept_late"),
    closeAfterDays: integer(),
    /**
     * The join code in the cohort's invitation link. Kept readable (unlike organisation
     * invitations) because every instructor of the cohort shows the same link for its whole
     * run; resetting it is how a leaked link is withdrawn. Null: the link is switched off.
     */
    inviteCode: text().unique(),
    /**
     * When a learner shows as at risk on the dashboards: this many items past due, this many
     * days without activity, or this many failed checks of one lab step.
     */
    atRiskOverdueItems: integer().notNull().default(2),
    atRiskInactiveDays: integer().notNull().default(7),
    atRiskStepFailures: integer().notNull().default(3),
    createdBy: actorRef(),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.tenantId, t.name),
    // The target of cohort_members' (cohort, course) foreign key.
    unique().on(t.id, t.courseId),
    index().on(t.tenantId, t.courseId),
    check("cohorts_dates_in_order", sql`${t.endDate} >= ${t.startDate}`),
    check("cohorts_seat_limit_positive", sql`${t.seatLimit} is null or ${t.seatLimit} >= 1`),
    check(
      "cohorts_at_risk_thresholds",
      sql`${t.atRiskOverdueItems} between 1 and 1000 and ${t.atRiskInactiveDays} between 1 and 365 and ${t.atRiskStepFailures} between 1 and 1000`,
    ),
    check(
      "cohorts_late_policy_days",
      sql`(${t.latePolicy} = 'accept_late' and ${t.closeAfterDays} is null) or (${t.latePolicy} = 'close_after' and ${t.closeAfterDays} between 0 and 365)`,
    ),
  ],
);

/** A cohort's instructors: organisation members (instructors or owners) who may change it. */
export const cohortInstructors = pgTable(
  "cohort_instructors",
  {
    tenantId: tenantRef(),
    cohortId: uuid()
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    userId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.userId] }),
    // Leaving the organisation ends being its instructor.
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete("cascade"),
    index().on(t.tenantId, t.userId),
  ],
);

/**
 * A learner in a cohort. The unique (tenant, course, user) is the rule "at most one cohort per
 * course"; `enrolledAt` anchors a relative schedule.
 */
export const cohortMembers = pgTable(
  "cohort_members",
  {
    tenantId: tenantRef(),
    cohortId: uuid().notNull(),
    courseId: uuid().notNull(),
    userId: text().notNull(),
    enrolledAt: moment().notNull(),
    addedBy: actorRef(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.userId] }),
    unique().on(t.tenantId, t.courseId, t.userId),
    foreignKey({ columns: [t.cohortId, t.courseId], foreignColumns: [cohorts.id, cohorts.courseId] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete("cascade"),
  ],
);

/** Hand edits of single items' dates, on top of the rule (see ItemOverride). */
export const cohortScheduleOverrides = pgTable(
  "cohort_schedule_overrides",
  {
    tenantId: tenantRef(),
    cohortId: uuid()
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    itemKey: text().notNull(),
    opensDay: integer().notNull(),
    opensTime: text().notNull(),
    dueDay: integer().notNull(),
    dueTime: text().notNull(),
    updatedBy: actorRef(),
    updatedAt: moment().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.itemKey] }),
    check("cohort_schedule_overrides_days", sql`${t.opensDay} >= 0 and ${t.dueDay} >= ${t.opensDay}`),
  ],
);

/**
 * More time for one learner: `days` added to one item's due time, or to every item's when
 * `itemKey` is null. Never updated; withdrawing one sets `revokedAt`.
 */
export const cohortExtensions = pgTable(
  "cohort_extensions",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    cohortId: uuid().notNull(),
    userId: text().notNull(),
    itemKey: text(),
    days: integer().notNull(),
    reason: text().notNull(),
    grantedBy: actorRef(),
    createdAt: createdAt(),
    revokedAt: moment(),
    revokedBy: actorRef(),
  },
  (t) => [
    foreignKey({ columns: [t.cohortId, t.userId], foreignColumns: [cohortMembers.cohortId, cohortMembers.userId] }).onDelete("cascade"),
    index().on(t.cohortId, t.userId),
    check("cohort_extensions_days", sql`${t.days} between 1 and 365`),
  ],
);

export const cohortAnnouncements = pgTable(
  "cohort_announcements",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    cohortId: uuid()
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    authorId: actorRef(),
    title: text().notNull(),
    body: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.cohortId, t.createdAt)],
);

/** Who changed what in a cohort, and when: append-only (the web app may not update or delete it). */
export const cohortAuditLog = pgTable(
  "cohort_audit_log",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantRef(),
    cohortId: uuid()
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    actorId: actorRef(),
    /** e.g. extension.granted, extension.revoked, schedule.edited, version.moved, member.added */
    action: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: moment().notNull(),
  },
  (t) => [index().on(t.cohortId, t.createdAt)],
);

/** A user's personal calendar feed: the sha256 of the secret in its URL; resetting replaces it. */
export const calendarFeeds = pgTable("calendar_feeds", {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text().notNull().unique(),
  createdAt: createdAt(),
});
