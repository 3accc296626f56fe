import type { ItemOverride, PacingRule } from "@cookbook/schedule/pacing-rule";
import { and, asc, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import { cohortScheduleOverrides, cohorts, scheduleTemplates } from "../schema/index";
import type { TenantTx } from "../tenant-scope";
import { isUniqueViolation } from "./cohorts";

type TenantScope = { tenantId: string };
type TemplateScope = TenantScope & { templateId: string };
type CohortScope = TenantScope & { cohortId: string };

export type ScheduleTemplateRow = typeof scheduleTemplates.$inferSelect;

/** The constraint behind "a template's name is unique in its organisation". */
const templateNameConstraint = "schedule_templates_tenantId_name_unique";

/** The organisation's templates by name, each with how many cohorts were created from it. */
export async function listTemplates(tx: TenantTx, input: TenantScope) {
  return tx
    .select({
      id: scheduleTemplates.id,
      name: scheduleTemplates.name,
      rule: scheduleTemplates.rule,
      revision: scheduleTemplates.revision,
      updatedAt: scheduleTemplates.updatedAt,
      cohortCount: count(cohorts.id),
    })
    .from(scheduleTemplates)
    .leftJoin(cohorts, and(eq(cohorts.tenantId, scheduleTemplates.tenantId), eq(cohorts.templateId, scheduleTemplates.id)))
    .where(eq(scheduleTemplates.tenantId, input.tenantId))
    .groupBy(scheduleTemplates.id)
    .orderBy(asc(scheduleTemplates.name));
}

export async function findTemplate(tx: TenantTx, input: TemplateScope): Promise<ScheduleTemplateRow | null> {
  const [row] = await tx
    .select()
    .from(scheduleTemplates)
    .where(and(eq(scheduleTemplates.tenantId, input.tenantId), eq(scheduleTemplates.id, input.templateId)));
  return row ?? null;
}

/** Null when the organisation already has a template of that name. */
export async function createTemplate(
  tx: TenantTx,
  input: TenantScope & { name: string; rule: PacingRule; createdBy: string; now: Date },
): Promise<ScheduleTemplateRow | null> {
  const [row] = await tx
    .insert(scheduleTemplates)
    .values({ tenantId: input.tenantId, name: input.name, rule: input.rule, createdBy: input.createdBy, updatedAt: input.now, createdAt: input.now })
    .onConflictDoNothing({ target: [scheduleTemplates.tenantId, scheduleTemplates.name] })
    .returning();
  return row ?? null;
}

export type TemplateUpdate = { status: "updated"; template: ScheduleTemplateRow } | { status: "not_found" } | { status: "name_taken" };

/**
 * Renames and/or changes the rule. The revision goes up only when the rule really changes
 * (jsonb equality, so key order and an identical rule sent again do not count): cohorts compare
 * it with the revision they applied. After `name_taken` the transaction is aborted: the caller
 * must end it (throw), not run more statements in it.
 */
export async function updateTemplate(
  tx: TenantTx,
  input: TemplateScope & { name?: string | undefined; rule?: PacingRule | undefined; now: Date },
): Promise<TemplateUpdate> {
  const ruleJson = input.rule === undefined ? null : JSON.stringify(input.rule);
  try {
    const [row] = await tx
      .update(scheduleTemplates)
      .set({
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.rule === undefined ? {} : { rule: input.rule }),
        ...(ruleJson === null
          ? {}
          : {
              revision: sql`case when ${scheduleTemplates.rule} = ${ruleJson}::jsonb then ${scheduleTemplates.revision} else ${scheduleTemplates.revision} + 1 end`,
            }),
        updatedAt: input.now,
      })
      .where(and(eq(scheduleTemplates.tenantId, input.tenantId), eq(scheduleTemplates.id, input.templateId)))
      .returning();
    return row ? { status: "updated", template: row } : { status: "not_found" };
  } catch (error) {
    if (isUniqueViolation(error, templateNameConstraint)) return { status: "name_taken" };
    throw error;
  }
}

/** Cohorts keep their copied rule: the foreign key sets their templateId to null. */
export async function deleteTemplate(tx: TenantTx, input: TemplateScope): Promise<boolean> {
  const deleted = await tx
    .delete(scheduleTemplates)
    .where(and(eq(scheduleTemplates.tenantId, input.tenantId), eq(scheduleTemplates.id, input.templateId)))
    .returning({ id: scheduleTemplates.id });
  return deleted.length === 1;
}

/** Cohorts created from the template whose rule is an older revision of it: the ones to offer "re-apply" for. */
export async function cohortsBehindTemplate(tx: TenantTx, input: TemplateScope & { revision: number }) {
  return tx
    .select({ id: cohorts.id, name: cohorts.name })
    .from(cohorts)
    .where(
      and(
        eq(cohorts.tenantId, input.tenantId),
        eq(cohorts.templateId, input.templateId),
        or(isNull(cohorts.templateRevision), lt(cohorts.templateRevision, input.revision)),
      ),
    )
    .orderBy(asc(cohorts.name));
}

/** The cohort's rule, and where it came from: a template's revision, or null when set by hand from the start. */
export async function setCohortRule(
  tx: TenantTx,
  input: CohortScope & { rule: PacingRule; template?: { id: string; revision: number } | undefined },
): Promise<void> {
  await tx
    .update(cohorts)
    .set({ rule: input.rule, ...(input.template ? { templateId: input.template.id, templateRevision: input.template.revision } : {}) })
    .where(and(eq(cohorts.tenantId, input.tenantId), eq(cohorts.id, input.cohortId)));
}

export async function listOverrides(tx: TenantTx, input: CohortScope): Promise<ItemOverride[]> {
  return tx
    .select({
      itemKey: cohortScheduleOverrides.itemKey,
      opensDay: cohortScheduleOverrides.opensDay,
      opensTime: cohortScheduleOverrides.opensTime,
      dueDay: cohortScheduleOverrides.dueDay,
      dueTime: cohortScheduleOverrides.dueTime,
    })
    .from(cohortScheduleOverrides)
    .where(and(eq(cohortScheduleOverrides.tenantId, input.tenantId), eq(cohortScheduleOverrides.cohortId, input.cohortId)))
    .orderBy(asc(cohortScheduleOverrides.itemKey));
}

/** Idempotent: one override per item, replaced by the latest edit. */
export async function upsertOverride(tx: TenantTx, input: CohortScope & { override: ItemOverride; updatedBy: string; now: Date }): Promise<void> {
  const { itemKey, ...dates } = input.override;
  await tx
    .insert(cohortScheduleOverrides)
    .values({ tenantId: input.tenantId, cohortId: input.cohortId, itemKey, ...dates, updatedBy: input.updatedBy, updatedAt: input.now })
    .onConflictDoUpdate({
      target: [cohortScheduleOverrides.cohortId, cohortScheduleOverrides.itemKey],
      set: { ...dates, updatedBy: input.updatedBy, updatedAt: input.now },
      // The primary key is (cohort, item): never let a row of another tenant be touched through it.
      setWhere: eq(cohortScheduleOverrides.tenantId, input.tenantId),
    });
}

/** Removes one item's override (`itemKey`) or all of the cohort's; returns the item keys removed. */
export async function deleteOverrides(tx: TenantTx, input: CohortScope & { itemKey?: string }): Promise<string[]> {
  const removed = await tx
    .delete(cohortScheduleOverrides)
    .where(
      and(
        eq(cohortScheduleOverrides.tenantId, input.tenantId),
        eq(cohortScheduleOverrides.cohortId, input.cohortId),
        input.itemKey === undefined ? undefined : eq(cohortScheduleOverrides.itemKey, input.itemKey),
      ),
    )
    .returning({ itemKey: cohortScheduleOverrides.itemKey });
  return removed.map((r) => r.itemKey).sort();
}
