import type { Database } from "@cookbook/db/client";
import { enableCourse, enroll } from "@cookbook/db/queries/learning";
import { createTenantWithOwner, getMembership } from "@cookbook/db/queries/tenants";
import { createUser, findUserByEmail } from "@cookbook/db/queries/users";
import { memberships, tenants } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { eq } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import { hashPassword } from "../src/server/auth/password";

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
  });
  return { tenant, logins: people.map((p) => ({ role: p.role, email: p.email, password: input.password })) };
}
