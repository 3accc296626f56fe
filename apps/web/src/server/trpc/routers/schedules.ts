import { labs } from "@cookbook/content/labs";
import { appendAuditEntry } from "@cookbook/db/queries/cohort-audit";
import type { CohortRow } from "@cookbook/db/queries/cohorts";
import { getOutline } from "@cookbook/db/queries/courses";
import {
  cohortsBehindTemplate,
  createTemplate,
  deleteOverrides,
  deleteTemplate,
  findTemplate,
  listOverrides,
  listTemplates,
  type ScheduleTemplateRow,
  setCohortRule,
  updateTemplate,
  upsertOverride,
} from "@cookbook/db/queries/schedules";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { computeSchedule, type ItemDates, type ScheduleItem, scheduleItems } from "@cookbook/schedule/compute-schedule";
import { type ItemOverride, isoDate, itemOverrideSchema, localTime, type PacingRule, pacingRuleSchema } from "@cookbook/schedule/pacing-rule";
import { daysBetween, formatInZone, localDateOf, toLocalParts } from "@cookbook/schedule/zoned-time";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { now } from "~/server/clock";
import { managedCohortOrNotFound, staffCohortOrNotFound } from "~/server/cohorts/cohort-access";
import { cohortId, itemKey } from "~/server/cohorts/inputs";
import { createTRPCRouter, notFound, orgProcedure, roleProcedure } from "../trpc";

const templateId = z.uuid();
const templateName = z.string().trim().min(1, { error: "Give the template a name." }).max(80, { error: "Use at most 80 characters." });
/** As far as an override may reach (itemOverrideSchema's bound): ten years after the anchor date. */
const maxDay = 3660;
const dayAfterAnchor = z
  .int()
  .min(0)
  .max(maxDay, { error: `Use at most ${maxDay} days after the start.` });

const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });
const dueNotAfterOpening = () => badRequest("The due time must be after the opening time.");
const nameTaken = (name: string) =>
  new TRPCError({ code: "CONFLICT", message: `There is already a template called "${name}". Choose another name.` });

/**
 * An override as the schedule editor sends it, in the cohort's own mode: in fixed mode local
 * dates and times in the cohort's zone (the page shows and edits dates); in relative mode days
 * after each learner's anchor date and local times (the page shows "day 3, 09:00"). A page
 * opened before the cohort switched modes is refused rather than reinterpreted.
 */
const overrideInput = z.discriminatedUnion("mode", [
  z.object({ cohortId, itemKey, mode: z.literal("fixed"), opensDate: isoDate, opensTime: localTime, dueDate: isoDate, dueTime: localTime }),
  z.object({
    cohortId,
    itemKey,
    mode: z.literal("relative"),
    opensDay: dayAfterAnchor,
    opensTime: localTime,
    dueDay: dayAfterAnchor,
    dueTime: localTime,
  }),
]);
type OverrideInput = z.infer<typeof overrideInput>;

/** Rules compared by value: what the database returns (jsonb reorders keys) equals what was sent. */
const sameRule = (a: PacingRule, b: PacingRule) => JSON.stringify(pacingRuleSchema.parse(a)) === JSON.stringify(pacingRuleSchema.parse(b));

function templateView(t: ScheduleTemplateRow) {
  return { id: t.id, name: t.name, rule: t.rule, revision: t.revision, updatedAt: t.updatedAt.toISOString() };
}

/**
 * The cohort's schedule as staff see it: the pinned course version's items, with the anchor
 * date = the start date. In relative mode that is the schedule of a learner who enrolled on
 * the start date (a later learner's dates are the same distance from their own enrollment).
 * `datesWith` computes it for a set of overrides, so a change can be seen before and after.
 */
async function staffSchedule(tx: TenantTx, cohort: CohortRow) {
  const items = scheduleItems(await getOutline(tx, cohort.courseVersionId), labs);
  const datesWith = (overrides: readonly ItemOverride[]) =>
    new Map(computeSchedule({ rule: cohort.rule, items, anchorDate: cohort.startDate, timeZone: cohort.timeZone, overrides }).map((d) => [d.key, d]));
  return { items, datesWith };
}

const sameOverride = (a: ItemOverride, b: ItemOverride) =>
  a.opensDay === b.opensDay && a.opensTime === b.opensTime && a.dueDay === b.dueDay && a.dueTime === b.dueTime;

function itemOrNotFound(items: readonly ScheduleItem[], key: string): ScheduleItem {
  const item = items.find((i) => i.key === key);
  if (!item) throw notFound("Schedule item");
  return item;
}

/** Both ways the editor needs a time: the exact instant, and the cohort zone's clock (date, time, day after the anchor). */
function describeDates(cohort: CohortRow, dates: ItemDates, current: Date) {
  const side = (instant: Date) => {
    const local = toLocalParts(instant, cohort.timeZone);
    return {
      at: instant.toISOString(),
      local: formatInZone(instant, cohort.timeZone, current),
      date: local.date,
      time: local.time,
      day: daysBetween(cohort.startDate, local.date),
    };
  };
  return {
    opensAt: dates.opensAt.toISOString(),
    dueAt: dates.dueAt.toISOString(),
    overridden: dates.overridden,
    opens: side(dates.opensAt),
    due: side(dates.dueAt),
  };
}

/** For the audit log: the item's dates before and after a change, as instants in the start-date view. */
const auditDates = (dates: ItemDates | undefined) =>
  dates ? { opensAt: dates.opensAt.toISOString(), dueAt: dates.dueAt.toISOString(), overridden: dates.overridden } : null;

/** The editor's input as days after the anchor date; every refusal here happens before anything is written. */
function overrideFrom(cohort: CohortRow, input: OverrideInput): ItemOverride {
  if (input.mode !== cohort.rule.mode) {
    throw badRequest(`${cohort.name}'s schedule is in ${cohort.rule.mode} mode now. Reload the page and enter the dates again.`);
  }
  const override =
    input.mode === "fixed"
      ? {
          itemKey: input.itemKey,
          opensDay: daysBetween(cohort.startDate, input.opensDate),
          opensTime: input.opensTime,
          dueDay: daysBetween(cohort.startDate, input.dueDate),
          dueTime: input.dueTime,
        }
      : { itemKey: input.itemKey, opensDay: input.opensDay, opensTime: input.opensTime, dueDay: input.dueDay, dueTime: input.dueTime };
  // "HH:MM" strings compare in clock order.
  if (override.dueDay < override.opensDay || (override.dueDay === override.opensDay && override.dueTime <= override.opensTime))
    throw dueNotAfterOpening();
  if (override.opensDay < 0) throw badRequest(`An item cannot open before the cohort's start date (${cohort.startDate}).`);
  if (override.dueDay > maxDay) throw badRequest(`An item can be due at most ${maxDay} days after the cohort's start date.`);
  const parsed = itemOverrideSchema.safeParse(override);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "These dates cannot be used.");
  return parsed.data;
}

/**
 * Templates are the organisation's staff's (instructor role and up). Procedures on one cohort
 * take any member and let cohort-access decide, so a learner gets NOT_FOUND for a cohort id
 * (as for another organisation's) rather than a hint that it exists.
 */
export const schedulesRouter = createTRPCRouter({
  /** The organisation's schedule templates, each with how many cohorts were created from it. */
  templates: roleProcedure("instructor").query(({ ctx }) =>
    ctx.scoped(async (tx) =>
      (await listTemplates(tx, { tenantId: ctx.tenant.tenantId })).map((t) => ({
        id: t.id,
        name: t.name,
        rule: t.rule,
        revision: t.revision,
        updatedAt: t.updatedAt.toISOString(),
        cohortCount: t.cohortCount,
      })),
    ),
  ),

  createTemplate: roleProcedure("instructor")
    .input(z.object({ name: templateName, rule: pacingRuleSchema }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const template = await createTemplate(tx, { tenantId: ctx.tenant.tenantId, ...input, createdBy: ctx.user.id, now: now() });
        if (!template) throw nameTaken(input.name);
        return templateView(template);
      }),
    ),

  /**
   * Renames a template and/or changes its rule; a changed rule is a new revision. Cohorts keep
   * the rule they copied: `cohortsToReapply` are the ones created from an older revision, for
   * the page to offer "re-apply" on each.
   */
  updateTemplate: roleProcedure("instructor")
    .input(
      z
        .object({ templateId, name: templateName.optional(), rule: pacingRuleSchema.optional() })
        .refine((i) => i.name !== undefined || i.rule !== undefined, { error: "Change the name, the rule or both." }),
    )
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const scope = { tenantId: ctx.tenant.tenantId, templateId: input.templateId };
        const result = await updateTemplate(tx, { ...scope, name: input.name, rule: input.rule, now: now() });
        if (result.status === "not_found") throw notFound("Template");
        if (result.status === "name_taken") throw nameTaken(input.name ?? "");
        const cohortsToReapply = await cohortsBehindTemplate(tx, { ...scope, revision: result.template.revision });
        return { template: templateView(result.template), cohortsToReapply };
      }),
    ),

  /** Cohorts created from it keep their copied rule (the foreign key sets their templateId to null). */
  deleteTemplate: roleProcedure("instructor")
    .input(z.object({ templateId }))
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        if (!(await deleteTemplate(tx, { tenantId: ctx.tenant.tenantId, templateId: input.templateId }))) throw notFound("Template");
        return { ok: true as const };
      }),
    ),

  /**
   * Copies the template's current rule into the cohort and records which revision it was.
   * `keepOverrides: false` also removes the cohort's hand edits, so the rule alone decides.
   * Applying the same revision again with nothing to clear changes nothing and logs nothing.
   */
  applyTemplate: orgProcedure.input(z.object({ cohortId, templateId, keepOverrides: z.boolean() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const tenantId = ctx.tenant.tenantId;
      const template = await findTemplate(tx, { tenantId, templateId: input.templateId });
      if (!template) throw notFound("Template");
      const scope = { tenantId, cohortId: cohort.id };
      await setCohortRule(tx, { ...scope, rule: template.rule, template: { id: template.id, revision: template.revision } });
      const clearedOverrides = input.keepOverrides ? [] : await deleteOverrides(tx, scope);
      const changed =
        !sameRule(cohort.rule, template.rule) ||
        cohort.templateId !== template.id ||
        cohort.templateRevision !== template.revision ||
        clearedOverrides.length > 0;
      if (changed) {
        await appendAuditEntry(tx, {
          ...scope,
          actorId: ctx.user.id,
          action: "schedule.template_applied",
          detail: {
            templateId: template.id,
            templateName: template.name,
            revision: template.revision,
            before: { rule: cohort.rule, templateId: cohort.templateId, templateRevision: cohort.templateRevision },
            rule: template.rule,
            clearedOverrides,
          },
          createdAt: now(),
        });
      }
      return { cohortId: cohort.id, rule: template.rule, templateId: template.id, templateRevision: template.revision, clearedOverrides, changed };
    }),
  ),

  /** Edits the cohort's own rule; it stays linked to its template (re-applying the template would replace this edit). */
  setRule: orgProcedure.input(z.object({ cohortId, rule: pacingRuleSchema })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      if (sameRule(cohort.rule, input.rule)) return { rule: cohort.rule, changed: false };
      const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
      await setCohortRule(tx, { ...scope, rule: input.rule });
      await appendAuditEntry(tx, {
        ...scope,
        actorId: ctx.user.id,
        action: "schedule.rule_edited",
        detail: { before: cohort.rule, after: input.rule },
        createdAt: now(),
      });
      return { rule: input.rule, changed: true };
    }),
  ),

  /**
   * The computed schedule of the cohort's pinned course version, with the anchor date = the
   * start date (in relative mode: what a learner who enrolled on the start date sees), and
   * what staff should look at: items due after the end date, overrides of items the version no
   * longer has, a template that changed since it was applied.
   */
  forCohort: orgProcedure.input(z.object({ cohortId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      const tenantId = ctx.tenant.tenantId;
      const overrides = await listOverrides(tx, { tenantId, cohortId: cohort.id });
      const { items, datesWith } = await staffSchedule(tx, cohort);
      const byKey = datesWith(overrides);
      const current = now();
      const scheduled = items.flatMap((item) => {
        const dates = byKey.get(item.key);
        return dates ? [{ ...item, ...describeDates(cohort, dates, current) }] : [];
      });

      const warnings: { code: "due_after_end" | "orphan_overrides" | "template_changed"; message: string }[] = [];
      const dueAfterEnd = scheduled.filter((i) => localDateOf(new Date(i.dueAt), cohort.timeZone) > cohort.endDate);
      if (dueAfterEnd.length > 0) {
        const who = cohort.rule.mode === "relative" ? " for a learner who enrolled on the start date" : "";
        const count = dueAfterEnd.length === 1 ? "1 item is" : `${dueAfterEnd.length} items are`;
        warnings.push({ code: "due_after_end", message: `${count} due after the cohort's end date (${cohort.endDate})${who}.` });
      }
      const orphanOverrides = overrides.map((o) => o.itemKey).filter((key) => !byKey.has(key));
      if (orphanOverrides.length > 0) {
        warnings.push({
          code: "orphan_overrides",
          message: `Hand-set dates for items this course version no longer has: ${orphanOverrides.join(", ")}. Clear them.`,
        });
      }
      const template = cohort.templateId ? await findTemplate(tx, { tenantId, templateId: cohort.templateId }) : null;
      if (template && template.revision !== cohort.templateRevision) {
        warnings.push({
          code: "template_changed",
          message: `The template "${template.name}" has changed since it was applied to this cohort. Re-apply it to use the change.`,
        });
      }

      return {
        cohort: { id: cohort.id, name: cohort.name, startDate: cohort.startDate, endDate: cohort.endDate, timeZone: cohort.timeZone },
        rule: cohort.rule,
        mode: cohort.rule.mode,
        anchor: {
          date: cohort.startDate,
          description:
            cohort.rule.mode === "fixed"
              ? "Every learner has these dates: they count from the cohort's start date."
              : "Each learner's dates count from the day they enrolled (or the start date, if later). Shown here for a learner who enrolled on the start date.",
        },
        template: template ? { id: template.id, name: template.name, revision: template.revision, appliedRevision: cohort.templateRevision } : null,
        items: scheduled,
        orphanOverrides,
        warnings,
      };
    }),
  ),

  /**
   * Sets one item's dates by hand (see `overrideInput` for the shape). Idempotent: the same
   * dates again write nothing. The audit entry has the item's dates before and after, as
   * instants for a learner anchored on the start date.
   */
  setOverride: orgProcedure.input(overrideInput).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
      const overrides = await listOverrides(tx, scope);
      const schedule = await staffSchedule(tx, cohort);
      const item = itemOrNotFound(schedule.items, input.itemKey);
      const override = overrideFrom(cohort, input);
      const before = schedule.datesWith(overrides).get(item.key);
      const after = schedule.datesWith([...overrides.filter((o) => o.itemKey !== item.key), override]).get(item.key);
      if (!after) throw notFound("Schedule item");
      // Equal wall-clock times can still meet when a clock change swallows the gap between them.
      if (after.dueAt <= after.opensAt) throw dueNotAfterOpening();

      const previous = overrides.find((o) => o.itemKey === item.key);
      const changed = !previous || !sameOverride(previous, override);
      const at = now();
      if (changed) {
        await upsertOverride(tx, { ...scope, override, updatedBy: ctx.user.id, now: at });
        await appendAuditEntry(tx, {
          ...scope,
          actorId: ctx.user.id,
          action: "schedule.override_set",
          detail: { itemKey: item.key, before: auditDates(before), after: auditDates(after), override },
          createdAt: at,
        });
      }
      return { item: { ...item, ...describeDates(cohort, after, at) }, changed };
    }),
  ),

  /**
   * Gives the item back its rule dates. Also clears an override whose item the pinned version
   * no longer has (forCohort lists those); a key that is neither an override nor an item is
   * NOT_FOUND. Clearing twice is fine: the second time changes nothing.
   */
  clearOverride: orgProcedure.input(z.object({ cohortId, itemKey })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
      const scope = { tenantId: ctx.tenant.tenantId, cohortId: cohort.id };
      const overrides = await listOverrides(tx, scope);
      const schedule = await staffSchedule(tx, cohort);
      const removed = overrides.find((o) => o.itemKey === input.itemKey);
      if (!removed) {
        itemOrNotFound(schedule.items, input.itemKey);
        return { cleared: false };
      }
      await deleteOverrides(tx, { ...scope, itemKey: input.itemKey });
      const before = schedule.datesWith(overrides).get(input.itemKey);
      const after = schedule.datesWith(overrides.filter((o) => o.itemKey !== input.itemKey)).get(input.itemKey);
      await appendAuditEntry(tx, {
        ...scope,
        actorId: ctx.user.id,
        action: "schedule.override_cleared",
        detail: { itemKey: input.itemKey, removed, before: auditDates(before), after: auditDates(after) },
        createdAt: now(),
      });
      return { cleared: true };
    }),
  ),
});
