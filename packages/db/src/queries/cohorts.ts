import { and, eq } from "drizzle-orm";
import { cohortInstructors, cohorts } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

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
