import { liveSandboxStates } from "@cookbook/lab-runner-api/vocabulary";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import {
  calendarFeeds,
  cohortExtensions,
  cohortInstructors,
  cohortMembers,
  cohorts,
  courses,
  enrollments,
  invitations,
  labAttempts,
  labHintReveals,
  labSandboxes,
  learningEvents,
  lessonCompletions,
  loginThrottle,
  memberships,
  sessions,
  tenants,
  users,
} from "../schema/index";
import {
  attemptExport,
  hintRevealExport,
  cohortInstructorExport,
  cohortMemberExport,
  completionExport,
  enrollmentExport,
  extensionExport,
  learningEventExport,
  sandboxExport,
} from "./export-columns";

export interface NewUser {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
}

/** Returns false when the email is taken (unique violation), without throwing. */
export async function createUser(db: Executor, user: NewUser): Promise<boolean> {
  const rows = await db
    .insert(users)
    .values({ ...user, email: user.email.toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row ?? null;
}

export async function findPasswordHash(db: Executor, userId: string) {
  const [row] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

/**
 * Everything the platform holds about one person, for them to download (GDPR art. 15/20): their
 * profile, memberships, enrollments, progress, lab sandboxes, attempts and learning events in every organisation,
 * the cohorts they learn in and teach, the extensions granted to them, whether they have a
 * calendar feed, and their sessions' metadata. Not their password hash, not session ids or the
 * feed's token hash (each one is a credential), not sandbox seeds (the grader's key to the
 * expected answers), not cohort invitation codes, nothing of others.
 */
export async function exportUserData(db: Database, input: { userId: string; currentSessionId: string }) {
  const [profile] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!profile) return null;
  const org = { tenantId: tenants.id, organisation: tenants.name };
  const [memberOf, enrolled, completed, attempts, sandboxes, sessionRows, invited, events, learnsIn, teaches, extensions, feeds, hints] =
    await Promise.all([
      db
        .select({ ...org, role: memberships.role, joinedAt: memberships.createdAt })
        .from(memberships)
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(eq(memberships.userId, input.userId))
        .orderBy(asc(tenants.name)),
      db
        .select({ ...org, ...enrollmentExport })
        .from(enrollments)
        .innerJoin(tenants, eq(tenants.id, enrollments.tenantId))
        .innerJoin(courses, eq(courses.id, enrollments.courseId))
        .where(eq(enrollments.userId, input.userId))
        .orderBy(asc(enrollments.createdAt)),
      db
        .select({ ...org, ...completionExport })
        .from(lessonCompletions)
        .innerJoin(tenants, eq(tenants.id, lessonCompletions.tenantId))
        .innerJoin(courses, eq(courses.id, lessonCompletions.courseId))
        .where(eq(lessonCompletions.userId, input.userId))
        .orderBy(asc(lessonCompletions.completedAt)),
      db
        .select({ ...org, ...attemptExport })
        .from(labAttempts)
        .innerJoin(tenants, eq(tenants.id, labAttempts.tenantId))
        .innerJoin(courses, eq(courses.id, labAttempts.courseId))
        .where(eq(labAttempts.userId, input.userId))
        .orderBy(asc(labAttempts.createdAt)),
      db
        .select({ tenantId: labSandboxes.tenantId, ...sandboxExport })
        .from(labSandboxes)
        .where(eq(labSandboxes.userId, input.userId))
        .orderBy(asc(labSandboxes.createdAt)),
      db
        .select({ id: sessions.id, expiresAt: sessions.expiresAt, activeTenantId: sessions.activeTenantId })
        .from(sessions)
        .where(eq(sessions.userId, input.userId))
        .orderBy(asc(sessions.expiresAt)),
      db
        .select({ ...org, id: invitations.id, role: invitations.role, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
        .from(invitations)
        .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
        .where(eq(invitations.createdBy, input.userId))
        .orderBy(asc(invitations.createdAt)),
      db
        .select({ ...org, ...learningEventExport })
        .from(learningEvents)
        .innerJoin(tenants, eq(tenants.id, learningEvents.tenantId))
        .innerJoin(courses, eq(courses.id, learningEvents.courseId))
        .where(eq(learningEvents.userId, input.userId))
        .orderBy(asc(learningEvents.id)),
      db
        .select({ ...org, ...cohortMemberExport, cohort: cohorts.name, course: courses.slug })
        .from(cohortMembers)
        .innerJoin(tenants, eq(tenants.id, cohortMembers.tenantId))
        .innerJoin(cohorts, eq(cohorts.id, cohortMembers.cohortId))
        .innerJoin(courses, eq(courses.id, cohortMembers.courseId))
        .where(eq(cohortMembers.userId, input.userId))
        .orderBy(asc(cohortMembers.enrolledAt)),
      db
        .select({ ...org, ...cohortInstructorExport, cohort: cohorts.name, course: courses.slug })
        .from(cohortInstructors)
        .innerJoin(tenants, eq(tenants.id, cohortInstructors.tenantId))
        .innerJoin(cohorts, eq(cohorts.id, cohortInstructors.cohortId))
        .innerJoin(courses, eq(courses.id, cohorts.courseId))
        .where(eq(cohortInstructors.userId, input.userId))
        .orderBy(asc(cohortInstructors.createdAt)),
      db
        .select({ ...org, ...extensionExport, cohort: cohorts.name })
        .from(cohortExtensions)
        .innerJoin(tenants, eq(tenants.id, cohortExtensions.tenantId))
        .innerJoin(cohorts, eq(cohorts.id, cohortExtensions.cohortId))
        .where(eq(cohortExtensions.userId, input.userId))
        .orderBy(asc(cohortExtensions.createdAt), asc(cohortExtensions.id)),
      // Only since when: the token hash would let whoever reads the download look the feed up.
      db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, input.userId)),
      db
        .select({ tenantId: labHintReveals.tenantId, ...hintRevealExport })
        .from(labHintReveals)
        .innerJoin(labAttempts, eq(labAttempts.id, labHintReveals.attemptId))
        .where(eq(labAttempts.userId, input.userId))
        .orderBy(asc(labHintReveals.revealedAt), asc(labHintReveals.attemptId), asc(labHintReveals.stepId), asc(labHintReveals.hintIndex)),
    ]);
  return {
    profile,
    memberships: memberOf,
    enrollments: enrolled,
    progress: completed,
    labAttempts: attempts,
    labHintReveals: hints,
    labSandboxes: sandboxes,
    sessions: sessionRows.map(({ id, ...s }) => ({ ...s, current: id === input.currentSessionId })),
    invitationsCreated: invited,
    learningEvents: events,
    cohortMemberships: learnsIn,
    cohortsTaught: teaches,
    extensions,
    calendarFeed: feeds[0] ?? null,
  };
}

/** The user's sandboxes that may still run: lab-runner is asked to stop them before the account goes. */
export async function listLiveSandboxesOfUser(db: Executor, userId: string) {
  return db
    .select({ id: labSandboxes.id })
    .from(labSandboxes)
    .where(and(eq(labSandboxes.userId, userId), inArray(labSandboxes.state, liveSandboxStates)));
}

/**
 * The organisations the user owns, split by what their deletion would mean: `alone` (no other
 * member: it goes with them) and `blocking` (the only owner, with other members: refused).
 * With `lock`, the tenant rows stay locked until the transaction ends.
 */
async function ownedOrganisations(db: Executor, userId: string, lock: boolean) {
  const query = db
    .select({ id: tenants.id, name: tenants.name })
    .from(tenants)
    .innerJoin(memberships, and(eq(memberships.tenantId, tenants.id), eq(memberships.userId, userId), eq(memberships.role, "owner")))
    .orderBy(asc(tenants.id));
  const owned = lock ? await query.for("update", { of: tenants }) : await query;
  const counts = owned.length
    ? await db
        .select({
          tenantId: memberships.tenantId,
          owners: sql<number>`count(*) filter (where ${memberships.role} = 'owner')::int`,
          members: sql<number>`count(*)::int`,
        })
        .from(memberships)
        .where(
          inArray(
            memberships.tenantId,
            owned.map((t) => t.id),
          ),
        )
        .groupBy(memberships.tenantId)
    : [];
  const countOf = new Map(counts.map((c) => [c.tenantId, c]));
  return {
    alone: owned.filter((t) => countOf.get(t.id)?.members === 1),
    blocking: owned.filter((t) => {
      const c = countOf.get(t.id);
      return c !== undefined && c.members > 1 && c.owners === 1;
    }),
  };
}

/** Names of the organisations that stop the user from deleting their account (see `deleteUserAccount`). */
export async function organisationsBlockingDeletion(db: Executor, userId: string): Promise<string[]> {
  return (await ownedOrganisations(db, userId, false)).blocking.map((t) => t.name);
}

export type AccountDeletion =
  | { status: "deleted"; deletedOrganisations: string[] }
  | { status: "not_found" }
  /** The user is the only owner of these organisations, which have other members. */
  | { status: "last_owner"; organisations: string[] };

/**
 * Deletes the account and, by the foreign keys' cascades, everything that is theirs: sessions,
 * memberships, enrollments, progress, lab sandboxes and attempts, the invitations they made.
 * Progress is removed, not anonymised: dashboards simply no longer list them. Organisations
 * they are the only member of go with them; one where they are the only owner and others
 * remain refuses the deletion (ownership must be handed over, or the organisation deleted).
 *
 * One transaction. It locks the user row (a second deletion waits, then finds nothing) and the
 * organisations they own (a join in flight waits for the decision: its foreign-key check needs
 * a share lock on the tenant row), so the last-owner rule cannot be raced.
 */
export async function deleteUserAccount(db: Database, input: { userId: string }): Promise<AccountDeletion> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!user) return { status: "not_found" as const };
    const { alone, blocking } = await ownedOrganisations(tx, input.userId, true);
    if (blocking.length > 0) return { status: "last_owner" as const, organisations: blocking.map((t) => t.name) };
    if (alone.length > 0)
      await tx.delete(tenants).where(
        inArray(
          tenants.id,
          alone.map((t) => t.id),
        ),
      );
    // Failed sign-ins are keyed by email: personal data too.
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, `email:${user.email}`));
    await tx.delete(users).where(eq(users.id, input.userId));
    return { status: "deleted" as const, deletedOrganisations: alone.map((t) => t.name) };
  });
}
