import { publishEdition } from "@cookbook/db/queries/courses";
import { createInvitation } from "@cookbook/db/queries/invitations";
import { enableCourse, enroll } from "@cookbook/db/queries/learning";
import {
  cohortAnnouncements,
  cohortAuditLog,
  cohortExtensions,
  cohortInstructors,
  cohortMembers,
  cohortScheduleOverrides,
  cohorts,
  enrollments,
  invitations,
  labAttempts,
  labHintReveals,
  labSandboxes,
  lessonCompletions,
  memberships,
  scheduleTemplates,
} from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApi, tinyCourse } from "../testing/api-client";

const { db, pool, as } = await loadApi();
const { appRouter } = await import("./root");
afterAll(() => pool.end());

/**
 * Alice owns tenant A; Bob owns tenant B, which has a course, an invitation, a learner with
 * progress. Alice, with every role-gated door open to her in A, tries B's ids everywhere.
 */
let alice: { id: string };
let bob: { id: string };
let carol: { id: string };
let tenantB: { id: string; name: string };
let invitationB: string;
const courseB = tinyCourse();
let courseBId: string;
/** Tenant B's cohort of that course, taught by Bob, with Carol in it. */
let cohortB: typeof cohorts.$inferSelect;
/** Bob's extension for Carol and his announcement in cohort B. */
let extensionB: typeof cohortExtensions.$inferSelect;
let announcementB: typeof cohortAnnouncements.$inferSelect;
/** Bob's schedule template, and his hand-set dates for chapter 1 of cohort B. */
let templateB: typeof scheduleTemplates.$inferSelect;
let overrideB: typeof cohortScheduleOverrides.$inferSelect;
/** Carol's lab sandbox in tenant B, as lab-runner would have written it, with one attempt. */
const sandboxB = `sb-tenancy-${Date.now().toString(36)}`;
let attemptB: string;

beforeAll(async () => {
  alice = await makeUser(db, "alice");
  bob = await makeUser(db, "bob");
  carol = await makeUser(db, "carol");
  await makeTenant(db, alice.id);
  tenantB = await makeTenant(db, bob.id);
  const { course, version } = await publishEdition(db, { courseSlug: courseB.slug, course: courseB.course });
  courseBId = course.id;
  await db.insert(memberships).values({ tenantId: tenantB.id, userId: carol.id, role: "learner" });
  invitationB = await withTenant(db, tenantB.id, async (tx) => {
    await enableCourse(tx, { tenantId: tenantB.id, courseId: courseBId, enabledBy: bob.id });
    await enroll(tx, { tenantId: tenantB.id, courseId: courseBId, userId: carol.id });
    await tx
      .insert(lessonCompletions)
      .values({ tenantId: tenantB.id, courseId: courseBId, userId: carol.id, lessonKey: "1.1-hello", contentHash: "1.1:Hello." });
    return (await createInvitation(tx, { tenantId: tenantB.id, role: "learner", createdBy: bob.id, ttlMs: 60_000, maxUses: 1, now: new Date() })).id;
  });
  const [cohort] = await db
    .insert(cohorts)
    .values({
      tenantId: tenantB.id,
      courseId: courseBId,
      courseVersionId: version.id,
      name: "B's cohort",
      startDate: "2026-01-05",
      endDate: "2026-03-27",
      timeZone: "Europe/Berlin",
      seatLimit: 10,
      rule: { mode: "fixed", chaptersPerWeek: 1, weekday: "mon", time: "09:00", dueAfterDays: 7, skipWeekends: false, blackouts: [] },
      inviteCode: `tenancy-b-${Date.now().toString(36)}-invite-code`,
    })
    .returning();
  if (!cohort) throw new Error("cohort insert returned nothing");
  cohortB = cohort;
  await db.insert(cohortInstructors).values({ tenantId: tenantB.id, cohortId: cohortB.id, userId: bob.id });
  await db
    .insert(cohortMembers)
    .values({ tenantId: tenantB.id, cohortId: cohortB.id, courseId: courseBId, userId: carol.id, enrolledAt: new Date() });
  const [extension] = await db
    .insert(cohortExtensions)
    .values({ tenantId: tenantB.id, cohortId: cohortB.id, userId: carol.id, itemKey: "chapter:1", days: 2, reason: "B's reason.", grantedBy: bob.id })
    .returning();
  const [announcement] = await db
    .insert(cohortAnnouncements)
    .values({ tenantId: tenantB.id, cohortId: cohortB.id, authorId: bob.id, title: "B's news", body: "For B." })
    .returning();
  if (!extension || !announcement) throw new Error("cohort B's extension or announcement insert returned nothing");
  extensionB = extension;
  announcementB = announcement;
  const [template] = await db.insert(scheduleTemplates).values({ tenantId: tenantB.id, name: "B's weekly", rule: cohortB.rule }).returning();
  const [override] = await db
    .insert(cohortScheduleOverrides)
    .values({ tenantId: tenantB.id, cohortId: cohortB.id, itemKey: "chapter:1", opensDay: 1, opensTime: "09:00", dueDay: 3, dueTime: "09:00" })
    .returning();
  if (!template || !override) throw new Error("B's template or override insert returned nothing");
  templateB = template;
  overrideB = override;
  await db.insert(labSandboxes).values({
    id: sandboxB,
    tenantId: tenantB.id,
    userId: carol.id,
    labSlug: "kafka-sensor-readings",
    labVersion: 1,
    seed: "seed",
    driver: "local",
    state: "running",
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const [attempt] = await db
    .insert(labAttempts)
    .values({
      tenantId: tenantB.id,
      userId: carol.id,
      courseId: courseBId,
      lessonKey,
      sandboxId: sandboxB,
      labSlug: "kafka-sensor-readings",
      labVersion: 1,
      score: 1,
      maxScore: 3,
      result: {},
    })
    .returning();
  if (!attempt) throw new Error("B's attempt insert returned nothing");
  attemptB = attempt.id;
});

async function expectNotFound(call: Promise<unknown>) {
  const error = await call.then(
    (data) => ({ data }),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe("NOT_FOUND");
}

type Api = Awaited<ReturnType<typeof as>>;
const lessonKey = "1.1-hello";

/** Each tenant-scoped procedure, called by tenant A's owner with tenant B's ids. */
const attempts: Record<string, (api: Api) => Promise<unknown>> = {
  "orgs.switch": (api) => api.orgs.switch({ tenantId: tenantB.id }),
  "orgs.changeRole": (api) => api.orgs.changeRole({ userId: carol.id, role: "owner" }),
  "orgs.removeMember": (api) => api.orgs.removeMember({ userId: carol.id }),
  "orgs.revokeInvitation": (api) => api.orgs.revokeInvitation({ invitationId: invitationB }),
  // Even with B's exact name typed: B is not Alice's to delete (the last test checks B is intact).
  "orgs.delete": (api) => api.orgs.delete({ tenantId: tenantB.id, confirmName: tenantB.name }),
  "courses.enroll": (api) => api.courses.enroll({ courseId: courseBId }),
  "courses.outline": (api) => api.courses.outline({ courseSlug: courseB.slug }),
  "courses.chapter": (api) => api.courses.chapter({ courseSlug: courseB.slug, chapterNumber: 1 }),
  "courses.lesson": (api) => api.courses.lesson({ courseSlug: courseB.slug, lessonKey }),
  "courses.visit": (api) => api.courses.visit({ courseId: courseBId, lessonKey }),
  "courses.setLessonComplete": (api) => api.courses.setLessonComplete({ courseId: courseBId, lessonKey, complete: false }),
  "courses.progress": (api) => api.courses.progress({ courseId: courseBId }),
  "courses.enable": (api) => api.courses.enable({ courseId: "00000000-0000-4000-8000-000000000000" }),
  "labs.forLesson": (api) => api.labs.forLesson({ courseSlug: courseB.slug, lessonKey }),
  "labs.start": (api) => api.labs.start({ courseId: courseBId, lessonKey, labSlug: "kafka-sensor-readings" }),
  "labs.status": (api) => api.labs.status({ sandboxId: sandboxB }),
  "labs.check": (api) => api.labs.check({ sandboxId: sandboxB, courseId: courseBId }),
  "labs.stop": (api) => api.labs.stop({ sandboxId: sandboxB }),
  "labs.terminal": (api) => api.labs.terminal({ sandboxId: sandboxB }),
  "labs.overview": (api) => api.labs.overview({ courseId: courseBId }),
  "labs.catalog": (api) => api.labs.catalog({ courseSlug: courseB.slug }),
  "labs.revealHint": (api) => api.labs.revealHint({ attemptId: attemptB, stepId: "create-topic", hintIndex: 0 }),
  "schedules.updateTemplate": (api) => api.schedules.updateTemplate({ templateId: templateB.id, rule: { ...templateB.rule, chaptersPerWeek: 3 } }),
  "schedules.deleteTemplate": (api) => api.schedules.deleteTemplate({ templateId: templateB.id }),
  "schedules.applyTemplate": (api) => api.schedules.applyTemplate({ cohortId: cohortB.id, templateId: templateB.id, keepOverrides: false }),
  "schedules.setRule": (api) => api.schedules.setRule({ cohortId: cohortB.id, rule: { ...cohortB.rule, chaptersPerWeek: 3 } }),
  "schedules.forCohort": (api) => api.schedules.forCohort({ cohortId: cohortB.id }),
  "schedules.setOverride": (api) =>
    api.schedules.setOverride({
      cohortId: cohortB.id,
      itemKey: "chapter:1",
      mode: "fixed",
      opensDate: "2026-01-05",
      opensTime: "09:00",
      dueDate: "2026-01-06",
      dueTime: "09:00",
    }),
  "schedules.clearOverride": (api) => api.schedules.clearOverride({ cohortId: cohortB.id, itemKey: "chapter:1" }),
  "extensions.list": (api) => api.extensions.list({ cohortId: cohortB.id }),
  "extensions.grant": (api) => api.extensions.grant({ cohortId: cohortB.id, userId: carol.id, itemKey: null, days: 30, reason: "Alice says so." }),
  "extensions.revoke": (api) => api.extensions.revoke({ extensionId: extensionB.id }),
  "extensions.auditLog": (api) => api.extensions.auditLog({ cohortId: cohortB.id }),
  "announcements.post": (api) => api.announcements.post({ cohortId: cohortB.id, title: "Alice was here", body: "Hi." }),
  "announcements.delete": (api) => api.announcements.delete({ announcementId: announcementB.id }),
  "announcements.list": (api) => api.announcements.list({ cohortId: cohortB.id }),
  "cohorts.get": (api) => api.cohorts.get({ cohortId: cohortB.id }),
  // B's course is not enabled in A: a cohort of it cannot be made there.
  "cohorts.create": (api) =>
    api.cohorts.create({
      name: "Stolen",
      courseId: courseBId,
      startDate: "2026-01-05",
      endDate: "2026-02-05",
      timeZone: "Europe/Berlin",
      rule: cohortB.rule,
      latePolicy: "accept_late",
    }),
  "cohorts.update": (api) => api.cohorts.update({ cohortId: cohortB.id, name: "Hijacked", seatLimit: null }),
  "cohorts.delete": (api) => api.cohorts.delete({ cohortId: cohortB.id, confirmName: cohortB.name }),
  "cohorts.setInstructors": (api) => api.cohorts.setInstructors({ cohortId: cohortB.id, userIds: [alice.id] }),
  "cohorts.roster": (api) => api.cohorts.roster({ cohortId: cohortB.id }),
  "cohorts.addMembers": (api) => api.cohorts.addMembers({ cohortId: cohortB.id, userIds: [alice.id] }),
  "cohorts.removeMember": (api) => api.cohorts.removeMember({ cohortId: cohortB.id, userId: carol.id }),
  "cohorts.inviteLink": (api) => api.cohorts.inviteLink({ cohortId: cohortB.id }),
  "cohorts.resetInviteLink": (api) => api.cohorts.resetInviteLink({ cohortId: cohortB.id, enabled: false }),
  "cohorts.versionDiff": (api) => api.cohorts.versionDiff({ cohortId: cohortB.id }),
  "cohorts.moveVersion": (api) => api.cohorts.moveVersion({ cohortId: cohortB.id, versionId: cohortB.courseVersionId }),
  "insights.labFailures": (api) => api.insights.labFailures({ scope: { cohortId: cohortB.id } }),
  "gradebook.cohort": (api) => api.gradebook.cohort({ scope: { cohortId: cohortB.id } }),
  "gradebook.learner": (api) => api.gradebook.learner({ scope: { cohortId: cohortB.id }, userId: carol.id }),
  "gradebook.atRisk": (api) => api.gradebook.atRisk({ scope: { cohortId: cohortB.id } }),
  "gradebook.setThresholds": (api) => api.gradebook.setThresholds({ cohortId: cohortB.id, atRiskInactiveDays: 1 }),
  "myProgress.dashboard": (api) => api.myProgress.dashboard({ courseId: courseBId }),
};

/** Procedures that take no ids: they must list only tenant A's rows. */
const listings: Record<string, (api: Api) => Promise<unknown>> = {
  "orgs.current": (api) => api.orgs.current(),
  "orgs.members": (api) => api.orgs.members(),
  "orgs.invitations": (api) => api.orgs.invitations(),
  "courses.list": (api) => api.courses.list(),
  "courses.catalogue": (api) => api.courses.catalogue(),
  "orgs.createInvitation": (api) => api.orgs.createInvitation({ role: "learner" }),
  "orgs.export": (api) => api.orgs.export(),
  "account.export": (api) => api.account.export(),
  "cohorts.list": (api) => api.cohorts.list(),
  "week.mine": (api) => api.week.mine(),
  "schedules.templates": (api) => api.schedules.templates(),
  // B's template name is free in A: names are unique per organisation.
  "schedules.createTemplate": (api) => api.schedules.createTemplate({ name: templateB.name, rule: templateB.rule }),
  "extensions.mine": (api) => api.extensions.mine({ courseId: courseBId }),
  "announcements.mine": (api) => api.announcements.mine(),
  "insights.organisation": (api) => api.insights.organisation(),
};

/** Not tenant-scoped: they act on the caller's own account or need no organisation. */
const platformLevel = [
  "auth.me",
  "auth.signUp",
  "auth.signIn",
  "auth.signOut",
  "orgs.list",
  "orgs.create",
  "orgs.previewInvitation",
  "orgs.acceptInvitation",
  // By a cohort's invitation code, which is the whole secret (cohorts.integration-test covers them).
  "cohorts.previewJoin",
  "cohorts.join",
  // The caller's own calendar feed, one per user across organisations (calendar-feed.integration-test covers it).
  "calendar.feed",
  "calendar.resetFeed",
  "calendar.deleteFeed",
  "account.delete",
];

describe("tenant isolation", () => {
  it("covers every procedure of the API", () => {
    const all = Object.keys(appRouter._def.procedures).sort();
    expect([...Object.keys(attempts), ...Object.keys(listings), ...platformLevel].sort()).toEqual(all);
  });

  it.each(Object.keys(attempts))("%s with another tenant's ids answers NOT_FOUND", async (path) => {
    const api = await as(alice.id, (await tenantOf(alice.id)) ?? null);
    const attempt = attempts[path];
    if (!attempt) throw new Error(path);
    await expectNotFound(attempt(api));
  });

  it("listings show nothing of the other tenant", async () => {
    const api = await as(alice.id, (await tenantOf(alice.id)) ?? null);
    const seen = JSON.stringify(await Promise.all(Object.values(listings).map((l) => l(api))));
    for (const foreign of [tenantB.id, bob.id, carol.id, invitationB, sandboxB, cohortB.id, extensionB.id, announcementB.id, templateB.id])
      expect(seen).not.toContain(foreign);
    // The catalogue is platform-wide; what B enabled is B's business.
    expect(await api.courses.list()).toEqual([]);
    expect((await api.courses.catalogue()).find((c) => c.id === courseBId)?.enabled).toBe(false);
  });

  it("left tenant B's data exactly as it was", async () => {
    const [carolRow] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantB.id), eq(memberships.userId, carol.id)));
    expect(carolRow?.role).toBe("learner");
    const [inv] = await db.select().from(invitations).where(eq(invitations.id, invitationB));
    expect(inv?.revokedAt).toBeNull();
    const done = await db.select().from(lessonCompletions).where(eq(lessonCompletions.tenantId, tenantB.id));
    expect(done).toHaveLength(1);
    const aliceEnrollments = await db.select().from(enrollments).where(eq(enrollments.userId, alice.id));
    expect(aliceEnrollments).toEqual([]);
    const [sandbox] = await db.select().from(labSandboxes).where(eq(labSandboxes.id, sandboxB));
    expect(sandbox).toMatchObject({ state: "running", endedAt: null });
    expect(await db.select().from(labAttempts).where(eq(labAttempts.tenantId, tenantB.id))).toHaveLength(1);
    expect(await db.select().from(labAttempts).where(eq(labAttempts.userId, alice.id))).toEqual([]);
    expect(await db.select().from(labHintReveals).where(eq(labHintReveals.attemptId, attemptB))).toEqual([]);
    expect(await db.select().from(cohorts).where(eq(cohorts.id, cohortB.id))).toEqual([cohortB]);
    expect(await db.select({ userId: cohortInstructors.userId }).from(cohortInstructors).where(eq(cohortInstructors.cohortId, cohortB.id))).toEqual([
      { userId: bob.id },
    ]);
    expect(await db.select({ userId: cohortMembers.userId }).from(cohortMembers).where(eq(cohortMembers.cohortId, cohortB.id))).toEqual([
      { userId: carol.id },
    ]);
    expect(await db.select().from(cohortAuditLog).where(eq(cohortAuditLog.cohortId, cohortB.id))).toEqual([]);
    expect(await db.select().from(cohortExtensions).where(eq(cohortExtensions.cohortId, cohortB.id))).toEqual([extensionB]);
    expect(await db.select().from(cohortAnnouncements).where(eq(cohortAnnouncements.cohortId, cohortB.id))).toEqual([announcementB]);
    expect(await db.select().from(scheduleTemplates).where(eq(scheduleTemplates.tenantId, tenantB.id))).toEqual([templateB]);
    expect(await db.select().from(cohortScheduleOverrides).where(eq(cohortScheduleOverrides.cohortId, cohortB.id))).toEqual([overrideB]);
  });

  it("a session pointing at an organisation the user is not in is refused", async () => {
    const api = await as(carol.id, tenantB.id);
    expect((await api.courses.outline({ courseSlug: courseB.slug })).completed).toBe(1);
    const inA = await as(carol.id, await tenantOf(alice.id));
    await expect(inA.courses.outline({ courseSlug: courseB.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

async function tenantOf(userId: string): Promise<string> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")));
  if (!row) throw new Error("no owned tenant");
  return row.tenantId;
}
