import type { CohortRow } from "@cookbook/db/queries/cohorts";
import { listCohortScopeMembers, listSelfPacedMembers, type ScopeMember } from "@cookbook/db/queries/gradebook";
import type { Role } from "@cookbook/db/schema";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { staffCohortOrNotFound } from "~/server/cohorts/cohort-access";
import { courseOrNotFound } from "~/server/trpc/course-access";

/**
 * What an instructor dashboard is about: one cohort, or the self-paced learners of a course
 * (enrolled members of the organisation in no cohort of it).
 */
export const dashboardScope = z.union([z.strictObject({ cohortId: z.uuid() }), z.strictObject({ courseId: z.uuid(), selfPaced: z.literal(true) })]);
export type DashboardScopeInput = z.infer<typeof dashboardScope>;

type Course = Awaited<ReturnType<typeof courseOrNotFound>>["course"];
type Version = Awaited<ReturnType<typeof courseOrNotFound>>["version"];

/** A resolved scope with the learners in it (name order); `userIds` are theirs, for queries that take them. */
export type DashboardScope = (
  | { kind: "cohort"; cohort: CohortRow; courseId: string; versionId: string }
  | { kind: "self_paced"; course: Course; version: Version; courseId: string; versionId: string }
) & { members: ScopeMember[]; userIds: string[] };

type StaffCtx = { user: { id: string }; tenant: { tenantId: string; role: Role; name: string } };

/**
 * The one gate of every instructor dashboard (tRPC procedures and CSV routes alike): a learner
 * is refused (FORBIDDEN: the view is not theirs whatever the id), a cohort or course of
 * another organisation, or one the organisation does not have, is NOT_FOUND. Owners and
 * instructors read every cohort of their organisation, as on the cohort pages.
 */
export async function dashboardScopeOrRefused(tx: TenantTx, ctx: StaffCtx, scope: DashboardScopeInput): Promise<DashboardScope> {
  if (ctx.tenant.role === "learner") throw new TRPCError({ code: "FORBIDDEN", message: `This needs the instructor role in ${ctx.tenant.name}.` });
  const { tenantId } = ctx.tenant;
  if ("cohortId" in scope) {
    const cohort = await staffCohortOrNotFound(tx, ctx, scope.cohortId);
    const members = await listCohortScopeMembers(tx, { tenantId, cohortId: cohort.id });
    return { kind: "cohort", cohort, courseId: cohort.courseId, versionId: cohort.courseVersionId, members, userIds: members.map((m) => m.userId) };
  }
  // No user: the course's current version, which self-paced learners read.
  const { course, version } = await courseOrNotFound(tx, { tenantId, id: scope.courseId });
  const members = await listSelfPacedMembers(tx, { tenantId, courseId: course.id });
  return { kind: "self_paced", course, version, courseId: course.id, versionId: version.id, members, userIds: members.map((m) => m.userId) };
}
