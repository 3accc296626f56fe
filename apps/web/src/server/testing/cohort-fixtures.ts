import type { Database } from "@cookbook/db/client";
import { publishEdition } from "@cookbook/db/queries/courses";
import { enableCourse } from "@cookbook/db/queries/learning";
import { cohortInstructors, cohortMembers, cohorts, memberships, type Role } from "@cookbook/db/schema";
import { withTenant } from "@cookbook/db/tenant-scope";
import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { randomUUID } from "node:crypto";
import { tinyCourse } from "./api-client";

/** One chapter a week, opening Mondays 09:00, due six days later. */
export const weeklyRule: PacingRule = {
  mode: "fixed",
  chaptersPerWeek: 1,
  weekday: "mon",
  time: "09:00",
  dueAfterDays: 6,
  skipWeekends: false,
  blackouts: [],
};

type As = (userId: string, tenantId: string | null) => Promise<unknown>;

/**
 * One organisation with a tiny course enabled, its owner, two instructors (`teacher`,
 * `otherTeacher`) and three learners (`learner`, `otherLearner`, `outsider`), and no cohort yet.
 * `member` adds another member; `api` is a caller signed in as someone, in this organisation.
 */
export async function orgWithStaff<A extends As>(deps: { db: Database; as: A }, course = tinyCourse()) {
  const { db, as } = deps;
  const owner = await makeUser(db, "owner");
  const tenant = await makeTenant(db, owner.id);
  const member = async (name: string, role: Role) => {
    const user = await makeUser(db, name);
    await db.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role });
    return user;
  };
  const teacher = await member("teacher", "instructor");
  const otherTeacher = await member("other-teacher", "instructor");
  const learner = await member("learner", "learner");
  const otherLearner = await member("other-learner", "learner");
  const outsider = await member("outsider", "learner");
  const published = await publishEdition(db, { courseSlug: course.slug, course: course.course });
  await withTenant(db, tenant.id, (tx) => enableCourse(tx, { tenantId: tenant.id, courseId: published.course.id, enabledBy: owner.id }));
  const api = (user: { id: string }) => as(user.id, tenant.id) as ReturnType<A>;
  return { tenant, owner, teacher, otherTeacher, learner, otherLearner, outsider, course, published, courseId: published.course.id, api, member };
}

/**
 * orgWithStaff with two cohorts of its course, written straight to the database: A taught by
 * `teacher`, B by `otherTeacher` (an instructor of the org who does not teach A); `learner` is
 * in A, `otherLearner` in B, `outsider` in neither.
 */
export async function orgWithCohorts<A extends As>(deps: { db: Database; as: A }, course = tinyCourse()) {
  const { db } = deps;
  const org = await orgWithStaff(deps, course);
  const { tenant, published } = org;
  const cohort = async (name: string, instructor: string, learners: string[]) => {
    const [row] = await db
      .insert(cohorts)
      .values({
        tenantId: tenant.id,
        courseId: published.course.id,
        courseVersionId: published.version.id,
        name,
        startDate: "2026-12-07",
        endDate: "2027-01-31",
        timeZone: "Europe/Berlin",
        rule: weeklyRule,
      })
      .returning();
    if (!row) throw new Error("no cohort");
    await db.insert(cohortInstructors).values({ tenantId: tenant.id, cohortId: row.id, userId: instructor });
    for (const userId of learners) {
      await db
        .insert(cohortMembers)
        .values({ tenantId: tenant.id, cohortId: row.id, courseId: published.course.id, userId, enrolledAt: new Date("2026-12-01T10:00:00Z") });
    }
    return row;
  };
  const cohortA = await cohort(`A ${randomUUID().slice(0, 6)}`, org.teacher.id, [org.learner.id]);
  const cohortB = await cohort(`B ${randomUUID().slice(0, 6)}`, org.otherTeacher.id, [org.otherLearner.id]);
  return { ...org, cohortA, cohortB };
}
