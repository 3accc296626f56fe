import { type CohortRow, findCohort, isCohortInstructor, lockCohort } from "@cookbook/db/queries/cohorts";
import type { Role } from "@cookbook/db/schema";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { TRPCError } from "@trpc/server";
import { notFound } from "~/server/trpc/trpc";

type StaffCtx = { user: { id: string }; tenant: { tenantId: string; role: Role } };

/**
 * A cohort of the caller's organisation as its staff see it: every instructor and owner may
 * read every cohort. A learner, or another organisation's id, gets NOT_FOUND: a learner sees
 * their own cohort only through the learner's procedures, never a roster.
 */
export async function staffCohortOrNotFound(tx: TenantTx, ctx: StaffCtx, cohortId: string): Promise<CohortRow> {
  if (ctx.tenant.role === "learner") throw notFound("Cohort");
  const cohort = await findCohort(tx, { tenantId: ctx.tenant.tenantId, cohortId });
  if (!cohort) throw notFound("Cohort");
  return cohort;
}

/**
 * A cohort the caller may change: an owner may change any, an instructor only the cohorts they
 * teach (they can still read the others). Learners and other organisations get NOT_FOUND.
 *
 * The row comes locked (FOR NO KEY UPDATE) until the transaction ends, so the changes of one
 * cohort run one after the other, each on the row as the previous one left it: two requests
 * filling the last seats, or moving the version, cannot both pass their check; and a cohort
 * cannot be deleted under a write into it (which would then fail on its foreign key).
 */
export async function managedCohortOrNotFound(tx: TenantTx, ctx: StaffCtx, cohortId: string): Promise<CohortRow> {
  if (ctx.tenant.role === "learner") throw notFound("Cohort");
  const cohort = await lockCohort(tx, { tenantId: ctx.tenant.tenantId, cohortId });
  if (!cohort) throw notFound("Cohort");
  if (ctx.tenant.role === "owner") return cohort;
  if (await isCohortInstructor(tx, { tenantId: ctx.tenant.tenantId, cohortId, userId: ctx.user.id })) return cohort;
  throw new TRPCError({ code: "FORBIDDEN", message: `Only ${cohort.name}'s instructors or an owner can change it.` });
}
