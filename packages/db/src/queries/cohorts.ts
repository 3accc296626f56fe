import { and, asc, count, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Database, Executor } from "../client";
import {
  cohortInstructors,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  courses,
  courseVersions,
  enrollments,
  lessons,
  memberships,
  tenants,
  users,
} from "../schema/index";
import type { TenantTx } from "../tenant-scope";
import { appendAuditEntry } from "./cohort-audit";
import { localDateOf } from "@cookbook/schedule/zoned-time";

type CohortScope = { tenantId: string; cohortId: string };

export type CohortRow = typeof cohorts.$inferSelect;

export async function findCohort(tx: TenantTx, input: CohortScope): Promise<CohortRow | null> {
  const [row] = await tx
    .select()
    .from(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)));
  return row ?? null;
}

export async function isCohortInstructor(tx: TenantTx, input: CohortScope & { userId: string }): Promise<boolean> {
  const rows = await tx
    .select({ userId: cohortInstructors.userId })
    .from(cohortInstructors)
    .where(
      and(eq(cohortInstructors.tenantId, input.tenantId), eq(cohortInstructors.cohortId, input.cohortId), eq(cohortInstructors.userId, input.userId)),
    );
  return rows.length === 1;
}

/** PostgreSQL's SQLSTATE of a failed statement, wherever drizzle put it (it wraps driver errors in `cause`). */
function pgError(error: unknown): { code?: string; constraint?: string } | null {
  if (typeof error !== "object" || error === null) return null;
  if (typeof (error as { code?: unknown }).code === "string") return error as { code: string; constraint?: string };
  return "cause" in error ? pgError(error.cause) : null;
}

/** True when `error` is a unique violation of `constraint` (a race another request won). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const found = pgError(error);
  return found?.code === "23505" && found.constraint === constraint;
}
/** The constraint behind "a cohort's name is unique in its organisation". */
export const cohortNameConstraint = "cohorts_tenantId_name_unique";
/** The constraint behind "a learner is in at most one cohort per course". */
export const oneCohortPerCourseConstraint = "cohort_members_tenantId_courseId_userId_unique";

/**
 * Runs `write` (a whole transaction) a second time when it lost a race on `constraint` to
 * another request: the second run reads what that request wrote and answers accordingly (e.g.
 * "already in <the other cohort>") instead of failing on the constraint.
 */
export async function retryingLostRace<T>(constraint: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, constraint)) return write();
    throw error;
  }
}

/** A fresh join code for a cohort's invitation link: 24 random bytes, URL-safe. */
export const newInviteCode = () => randomBytes(24).toString("base64url");

type TenantScope = { tenantId: string };

const memberCount = sql<number>`(select count(*)::int from ${cohortMembers} where ${cohortMembers.cohortId} = ${cohorts.id})`;

/** Every cohort of the organisation with its course, seats used and instructors' names, for its staff. */
export async function listCohorts(tx: TenantTx, input: TenantScope) {
  const rows = await tx
    .select({
      id: cohorts.id,
      name: cohorts.name,
      courseId: cohorts.courseId,
      courseTitle: courses.title,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
      timeZone: cohorts.timeZone,
      seatLimit: cohorts.seatLimit,
      memberCount,
    })
    .from(cohorts)
    .innerJoin(courses, eq(courses.id, cohorts.courseId))
    .where(eq(cohorts.tenantId, input.tenantId))
    .orderBy(desc(cohorts.startDate), asc(cohorts.name));
  const teaching = await tx
    .select({ cohortId: cohortInstructors.cohortId, userId: users.id, displayName: users.displayName })
    .from(cohortInstructors)
    .innerJoin(users, eq(users.id, cohortInstructors.userId))
    .where(eq(cohortInstructors.tenantId, input.tenantId))
    .orderBy(asc(users.displayName));
  return rows.map((row) => ({
    ...row,
    instructors: teaching.filter((t) => t.cohortId === row.id).map(({ userId, displayName }) => ({ userId, displayName })),
  }));
}

export async function listCohortInstructors(tx: TenantTx, input: CohortScope) {
  return tx
    .select({ userId: users.id, displayName: users.displayName, email: users.email })
    .from(cohortInstructors)
    .innerJoin(users, eq(users.id, cohortInstructors.userId))
    .where(and(eq(cohortInstructors.tenantId, input.tenantId), eq(cohortInstructors.cohortId, input.cohortId)))
    .orderBy(asc(users.displayName));
}

/** Of `userIds`, those who are instructors or owners of the organisation. */
export async function staffAmong(tx: TenantTx, input: TenantScope & { userIds: readonly string[] }): Promise<Set<string>> {
  if (input.userIds.length === 0) return new Set();
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, input.tenantId),
        inArray(memberships.userId, [...input.userIds]),
        inArray(memberships.role, ["instructor", "owner"]),
      ),
    )
    // Kept until the transaction ends: the membership is not removed before the instructors written from this are.
    .for("key share");
  return new Set(rows.map((r) => r.userId));
}

/** Of `userIds`, those who are members of the organisation (any role). */
export async function membersAmong(tx: TenantTx, input: TenantScope & { userIds: readonly string[] }): Promise<Set<string>> {
  if (input.userIds.length === 0) return new Set();
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, input.tenantId), inArray(memberships.userId, [...input.userIds])))
    // Kept until the transaction ends: the membership is not removed before the cohort seats written from this are.
    .for("key share");
  return new Set(rows.map((r) => r.userId));
}

export type NewCohort = Omit<typeof cohorts.$inferInsert, "id" | "createdAt">;

/** Inserts the cohort, or returns null when the organisation already has a cohort of that name. */
export async function insertCohort(tx: TenantTx, input: NewCohort): Promise<CohortRow | null> {
  const [row] = await tx
    .insert(cohorts)
    .values(input)
    .onConflictDoNothing({ target: [cohorts.tenantId, cohorts.name] })
    .returning();
  return row ?? null;
}

export type CohortPatch = Partial<
  Pick<CohortRow, "name" | "startDate" | "endDate" | "timeZone" | "seatLimit" | "latePolicy" | "closeAfterDays" | "inviteCode" | "courseVersionId">
>;

export async function updateCohort(tx: TenantTx, input: CohortScope & { patch: CohortPatch }): Promise<CohortRow | null> {
  const [row] = await tx
    .update(cohorts)
    .set(input.patch)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)))
    .returning();
  return row ?? null;
}

/** Deletes the cohort and, by their foreign keys, its members, instructors, overrides, extensions, announcements and audit log. */
export async function deleteCohort(tx: TenantTx, input: CohortScope): Promise<boolean> {
  const rows = await tx
    .delete(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)))
    .returning({ id: cohorts.id });
  return rows.length === 1;
}

/** Makes exactly `userIds` the cohort's instructors. */
export async function replaceCohortInstructors(tx: TenantTx, input: CohortScope & { userIds: readonly string[] }) {
  await tx.delete(cohortInstructors).where(and(eq(cohortInstructors.tenantId, input.tenantId), eq(cohortInstructors.cohortId, input.cohortId)));
  if (input.userIds.length === 0) return;
  await tx.insert(cohortInstructors).values(input.userIds.map((userId) => ({ tenantId: input.tenantId, cohortId: input.cohortId, userId })));
}

/**
 * The cohort row locked until the transaction ends, as its latest committed version. FOR NO
 * KEY UPDATE: two of these wait for each other (and for a join's FOR UPDATE), and a DELETE of
 * the cohort waits for them, but the foreign-key checks of rows written into it do not.
 */
export async function lockCohort(tx: Executor, input: CohortScope): Promise<CohortRow | null> {
  const [row] = await tx
    .select()
    .from(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)))
    .for("no key update");
  return row ?? null;
}

export async function countCohortMembers(tx: Executor, input: CohortScope): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(cohortMembers)
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId)));
  return row?.n ?? 0;
}

/** The cohort's learners with their names and when they joined, by name. */
export async function listRoster(tx: TenantTx, input: CohortScope) {
  return tx
    .select({ userId: users.id, displayName: users.displayName, email: users.email, enrolledAt: cohortMembers.enrolledAt })
    .from(cohortMembers)
    .innerJoin(users, eq(users.id, cohortMembers.userId))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId)))
    .orderBy(asc(users.displayName));
}

/** Which cohort of the course each of `userIds` is in already (users in none are absent). */
export async function cohortsOfCourseFor(tx: Executor, input: TenantScope & { courseId: string; userIds: readonly string[] }) {
  if (input.userIds.length === 0) return [];
  return tx
    .select({ userId: cohortMembers.userId, cohortId: cohorts.id, cohortName: cohorts.name })
    .from(cohortMembers)
    .innerJoin(cohorts, eq(cohorts.id, cohortMembers.cohortId))
    .where(
      and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.courseId, input.courseId), inArray(cohortMembers.userId, [...input.userIds])),
    );
}

/** Puts the users in the cohort (they must be organisation members), each enrolled at `enrolledAt`. */
export async function insertCohortMembers(
  tx: TenantTx,
  input: CohortScope & { courseId: string; userIds: readonly string[]; enrolledAt: Date; addedBy: string },
) {
  if (input.userIds.length === 0) return;
  await tx.insert(cohortMembers).values(
    input.userIds.map((userId) => ({
      tenantId: input.tenantId,
      cohortId: input.cohortId,
      courseId: input.courseId,
      userId,
      enrolledAt: input.enrolledAt,
      addedBy: input.addedBy,
    })),
  );
}

/** Takes a learner out of the cohort (their extensions go with it); false when they were not in it. */
export async function deleteCohortMember(tx: TenantTx, input: CohortScope & { userId: string }): Promise<boolean> {
  const rows = await tx
    .delete(cohortMembers)
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId), eq(cohortMembers.userId, input.userId)))
    .returning({ userId: cohortMembers.userId });
  return rows.length === 1;
}

/** A version of the course (platform content, not tenant-scoped), or null. */
export async function findCourseVersion(tx: Executor, input: { courseId: string; versionId: string }) {
  const [row] = await tx
    .select()
    .from(courseVersions)
    .where(and(eq(courseVersions.courseId, input.courseId), eq(courseVersions.id, input.versionId)));
  return row ?? null;
}

/** A version's lessons in book order, with their text, for comparing two versions. */
export async function listVersionLessons(tx: Executor, versionId: string) {
  return tx
    .select({
      key: lessons.key,
      number: lessons.number,
      title: lessons.title,
      chapterNumber: lessons.chapterNumber,
      outline: lessons.outline,
      blocks: lessons.blocks,
      contentHash: lessons.contentHash,
    })
    .from(lessons)
    .where(eq(lessons.courseVersionId, versionId))
    .orderBy(asc(lessons.position));
}

/** Deletes the cohort's hand-edited dates of items not in `keepItemKeys`; returns the keys deleted. */
export async function deleteOverridesExcept(tx: TenantTx, input: CohortScope & { keepItemKeys: readonly string[] }): Promise<string[]> {
  const rows = await tx
    .delete(cohortScheduleOverrides)
    .where(
      and(
        eq(cohortScheduleOverrides.tenantId, input.tenantId),
        eq(cohortScheduleOverrides.cohortId, input.cohortId),
        input.keepItemKeys.length > 0 ? notInArray(cohortScheduleOverrides.itemKey, [...input.keepItemKeys]) : undefined,
      ),
    )
    .returning({ itemKey: cohortScheduleOverrides.itemKey });
  return rows.map((r) => r.itemKey).sort();
}

/** What a cohort's invitation link shows before joining: the cohort, its organisation and course, seats left. */
export async function findCohortByInviteCode(db: Executor, code: string) {
  const [row] = await db
    .select({
      id: cohorts.id,
      tenantId: cohorts.tenantId,
      cohortName: cohorts.name,
      orgName: tenants.name,
      courseTitle: courses.title,
      startDate: cohorts.startDate,
      endDate: cohorts.endDate,
      timeZone: cohorts.timeZone,
      seatLimit: cohorts.seatLimit,
      memberCount,
    })
    .from(cohorts)
    .innerJoin(tenants, eq(tenants.id, cohorts.tenantId))
    .innerJoin(courses, eq(courses.id, cohorts.courseId))
    .where(eq(cohorts.inviteCode, code));
  return row ?? null;
}

export type JoinCohortResult =
  | { status: "joined" | "already_in"; cohort: CohortRow }
  | { status: "full" | "ended"; cohort: CohortRow }
  | { status: "in_other_cohort"; cohort: CohortRow; otherCohortName: string }
  | { status: "not_found" };

/**
 * Joins the user to the cohort whose invitation link holds `code`, in one transaction: an
 * organisation membership as learner when they are not a member yet (an existing role is kept,
 * never demoted), enrollment in the course, and the cohort seat. It runs on the platform
 * connection, not in a tenant scope, because the user is not yet a member of the organisation
 * the code leads to (as acceptInvitation). The cohort row is locked first, so of two people
 * racing for the last seat exactly one gets it. Idempotent for someone already in the cohort.
 */
export async function joinCohortByCode(db: Database, input: { code: string; userId: string; now: Date }): Promise<JoinCohortResult> {
  // Joining another cohort of the course at the same moment: the second attempt reads that cohort and says so.
  return retryingLostRace(oneCohortPerCourseConstraint, () =>
    db.transaction(async (tx): Promise<JoinCohortResult> => {
      const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.inviteCode, input.code)).for("no key update");
      if (!cohort) return { status: "not_found" };
      const scope = { tenantId: cohort.tenantId, cohortId: cohort.id };
      const [current] = await cohortsOfCourseFor(tx, { tenantId: cohort.tenantId, courseId: cohort.courseId, userIds: [input.userId] });
      if (current) {
        return current.cohortId === cohort.id
          ? { status: "already_in", cohort }
          : { status: "in_other_cohort", cohort, otherCohortName: current.cohortName };
      }
      // After its last day (in its own zone) a cohort takes nobody new: there is no schedule left to follow.
      if (localDateOf(input.now, cohort.timeZone) > cohort.endDate) return { status: "ended", cohort };
      if (cohort.seatLimit !== null && (await countCohortMembers(tx, scope)) >= cohort.seatLimit) return { status: "full", cohort };
      await tx.insert(memberships).values({ tenantId: cohort.tenantId, userId: input.userId, role: "learner" }).onConflictDoNothing();
      await tx.insert(enrollments).values({ tenantId: cohort.tenantId, courseId: cohort.courseId, userId: input.userId }).onConflictDoNothing();
      await tx
        .insert(cohortMembers)
        .values({ ...scope, courseId: cohort.courseId, userId: input.userId, enrolledAt: input.now, addedBy: input.userId });
      await appendAuditEntry(tx, {
        ...scope,
        actorId: input.userId,
        action: "member.joined",
        detail: { userId: input.userId },
        createdAt: input.now,
      });
      return { status: "joined", cohort };
    }),
  );
}
