import type { Database } from "@cookbook/db/client";
import { enableCourse, enroll } from "@cookbook/db/queries/learning";
import { createTenantWithOwner, getMembership } from "@cookbook/db/queries/tenants";
import { createUser, findUserByEmail } from "@cookbook/db/queries/users";
import {
  cohortAnnouncements,
  cohortInstructors,
  cohortMembers,
  cohorts,
  courseVersions,
  memberships,
  scheduleTemplates,
  tenants,
} from "@cookbook/db/schema";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { addDays, localDateOf, weekdayOf } from "@cookbook/schedule/zoned-time";
import { type TenantTx, withTenant } from "@cookbook/db/tenant-scope";
import { and, asc, eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { generateIdFromEntropySize } from "lucia";
import { hashPassword } from "../src/server/auth/password";
import { now } from "../src/server/clock";

export const DEMO_ORG = { slug: "demo", name: "Demo Data Team" };
const people = [
  { role: "owner", email: "owner@demo.test", displayName: "Olivia Owner" },
  { role: "instructor", email: "instructor@demo.test", displayName: "Ivan Instructor" },
  { role: "learner", email: "learner@demo.test", displayName: "Lea Learner" },
] as const;

async function ensureUser(db: Database, person: (typeof people)[number], password: string) {
  const existing = await findUserByEmail(db, person.email);
  if (existing) return existing.id;
  const id = generateIdFromEntropySize(10);
  await createUser(db, { id, email: person.email, displayName: person.displayName, passwordHash: await hashPassword(password) });
  return id;
}

/**
 * The demo organisation a newcomer signs into. Idempotent: existing users keep their password
 * and progress; missing pieces are added.
 */
export async function seedDemo(db: Database, input: { courseId: string; password: string }) {
  const ids = new Map<string, string>();
  for (const person of people) ids.set(person.role, await ensureUser(db, person, input.password));
  const ownerId = ids.get("owner") ?? "";
  const tenant =
    (await createTenantWithOwner(db, { ...DEMO_ORG, ownerId })) ?? (await db.select().from(tenants).where(eq(tenants.slug, DEMO_ORG.slug)))[0];
  if (!tenant) throw new Error("demo organisation could not be created");
  for (const person of people) {
    const userId = ids.get(person.role) ?? "";
    if (!(await getMembership(db, { tenantId: tenant.id, userId }))) {
      await db.insert(memberships).values({ tenantId: tenant.id, userId, role: person.role }).onConflictDoNothing();
    }
  }
  await withTenant(db, tenant.id, async (tx) => {
    await enableCourse(tx, { tenantId: tenant.id, courseId: input.courseId, enabledBy: ownerId });
    await enroll(tx, { tenantId: tenant.id, courseId: input.courseId, userId: ids.get("learner") ?? "" });
    await seedBootcamp(tx, {
      tenantId: tenant.id,
      courseId: input.courseId,
      ownerId,
      instructorId: ids.get("instructor") ?? "",
      learnerId: ids.get("learner") ?? "",
    });
  });
  return { tenant, logins: people.map((p) => ({ role: p.role, email: p.email, password: input.password })) };
}

export const DEMO_COHORT = "Data Engineering Bootcamp, weekly";
const DEMO_TEMPLATE = "Two chapters a week";
const bootcampRule: PacingRule = {
  mode: "fixed",
  chaptersPerWeek: 2,
  weekday: "mon",
  time: "09:00",
  dueAfterDays: 7,
  skipWeekends: true,
  blackouts: [{ from: "2026-12-24", to: "2027-01-01" }],
};

/**
 * A running cohort a newcomer sees at once: it started on the Monday two weeks ago, on the
 * oldest edition (so the instructor is offered the move to the newer one), with the demo
 * instructor teaching it and the demo learner in it. Left alone once it exists.
 */
async function seedBootcamp(tx: TenantTx, input: { tenantId: string; courseId: string; ownerId: string; instructorId: string; learnerId: string }) {
  const existing = await tx
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.name, DEMO_COHORT)));
  if (existing.length > 0) return;
  const [oldest] = await tx
    .select()
    .from(courseVersions)
    .where(eq(courseVersions.courseId, input.courseId))
    .orderBy(asc(courseVersions.sequence))
    .limit(1);
  if (!oldest) throw new Error("the demo course has no version");
  const timeZone = "Europe/Berlin";
  const today = localDateOf(now(), timeZone);
  let startDate = addDays(today, -14);
  while (weekdayOf(startDate) !== "mon") startDate = addDays(startDate, -1);
  const [template] = await tx
    .insert(scheduleTemplates)
    .values({ tenantId: input.tenantId, name: DEMO_TEMPLATE, rule: bootcampRule, createdBy: input.ownerId })
    .onConflictDoUpdate({ target: [scheduleTemplates.tenantId, scheduleTemplates.name], set: { name: DEMO_TEMPLATE } })
    .returning();
  const [cohort] = await tx
    .insert(cohorts)
    .values({
      tenantId: input.tenantId,
      courseId: input.courseId,
      courseVersionId: oldest.id,
      name: DEMO_COHORT,
      startDate,
      endDate: addDays(startDate, 7 * 16),
      timeZone,
      seatLimit: 30,
      rule: bootcampRule,
      templateId: template?.id ?? null,
      templateRevision: template?.revision ?? null,
      latePolicy: "accept_late",
      inviteCode: randomBytes(24).toString("base64url"),
      createdBy: input.ownerId,
    })
    .returning();
  if (!cohort) throw new Error("the demo cohort could not be created");
  await tx.insert(cohortInstructors).values({ tenantId: input.tenantId, cohortId: cohort.id, userId: input.instructorId });
  await tx.insert(cohortMembers).values({
    tenantId: input.tenantId,
    cohortId: cohort.id,
    courseId: input.courseId,
    userId: input.learnerId,
    enrolledAt: now(),
    addedBy: input.instructorId,
  });
  await tx.insert(cohortAnnouncements).values({
    tenantId: input.tenantId,
    cohortId: cohort.id,
    authorId: input.instructorId,
    title: "Welcome to the bootcamp",
    body: "Two chapters open every Monday at 09:00 (Berlin time) and are due a week later. Ask for more time on the cohort page if you need it.",
  });
}
