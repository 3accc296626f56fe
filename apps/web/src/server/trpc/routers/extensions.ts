import { labs } from "@cookbook/content/labs";
import { appendAuditEntry, listAuditLog } from "@cookbook/db/queries/cohort-audit";
import {
  findCohortLearner,
  findExtension,
  insertExtension,
  listExtensions,
  listOwnExtensions,
  revokeExtension,
} from "@cookbook/db/queries/cohort-extensions";
import { listActiveExtensions } from "@cookbook/db/queries/cohort-plan";
import { getOutline } from "@cookbook/db/queries/courses";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { type ScheduleItem, scheduleItems } from "@cookbook/schedule/compute-schedule";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { managedCohortOrNotFound, staffCohortOrNotFound } from "~/server/cohorts/cohort-access";
import { cohortId, itemKey, userId } from "~/server/cohorts/inputs";
import { now } from "~/server/clock";
import { extensionDaysFor } from "~/server/cohorts/learner-plan";
import { rowIdForRequest } from "~/server/cohorts/request-id";
import { createTRPCRouter, notFound, orgProcedure } from "../trpc";

/** The cohort's items (chapters with something completable, and their labs) in the version it is pinned to. */
async function itemsOfVersion(tx: TenantTx, versionId: string): Promise<ScheduleItem[]> {
  return scheduleItems(await getOutline(tx, versionId), labs);
}

/** Titles by item key for several versions, each outline read once. */
async function itemTitles(tx: TenantTx, versionIds: Iterable<string>): Promise<Map<string, Map<string, string>>> {
  const titles = new Map<string, Map<string, string>>();
  for (const versionId of new Set(versionIds)) {
    titles.set(versionId, new Map((await itemsOfVersion(tx, versionId)).map((item) => [item.key, item.title])));
  }
  return titles;
}

const sameGrant = (
  row: { cohortId: string; userId: string; itemKey: string | null; days: number; reason: string },
  input: { cohortId: string; userId: string; itemKey: string | null; days: number; reason: string },
) =>
  row.cohortId === input.cohortId &&
  row.userId === input.userId &&
  row.itemKey === input.itemKey &&
  row.days === input.days &&
  row.reason === input.reason;

/**
 * The most days one learner's extensions may add to one item. An extension is more time, not a
 * way to lift a deadline, and the bound keeps every due date computable (each grant is at most
 * 365 days, but grants add up: thousands of them would carry dates past the year 9999, which
 * neither ISO dates nor calendar files can write). Two grants at once may pass it by one grant.
 */
const MAX_EXTENSION_DAYS = 3650;

async function refuseBeyondLimit(
  tx: TenantTx,
  input: { tenantId: string; cohortId: string; userId: string; versionId: string; itemKey: string | null },
) {
  const active = await listActiveExtensions(tx, { tenantId: input.tenantId, cohortId: input.cohortId, userIds: [input.userId] });
  const keys = input.itemKey === null ? (await itemsOfVersion(tx, input.versionId)).map((i) => i.key) : [input.itemKey];
  const most = Math.max(0, ...keys.map((key) => extensionDaysFor(active, key)));
  if (most > MAX_EXTENSION_DAYS) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `With this one the learner's extensions would add ${most} days to an item; at most ${MAX_EXTENSION_DAYS} can be given. Revoke one first or change the item's dates.`,
    });
  }
}

export const extensionsRouter = createTRPCRouter({
  /** A cohort's extensions (revoked ones too, with when), for its staff; optionally one learner's. */
  list: orgProcedure.input(z.object({ cohortId, userId: userId.optional() })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      const titles = (await itemTitles(tx, [cohort.courseVersionId])).get(cohort.courseVersionId);
      const rows = await listExtensions(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, userId: input.userId });
      // An item the pinned version no longer has (the cohort moved) keeps its key, without a title.
      return rows.map((row) => ({ ...row, itemTitle: row.itemKey === null ? null : (titles?.get(row.itemKey) ?? null) }));
    }),
  ),

  /**
   * More time for one learner, on one item (`itemKey`) or on every item (null), written together
   * with its audit entry. Idempotent through `requestId`: the client makes one uuid per grant it
   * means and sends it again on a retry; the extension's id is derived from it (rowIdForRequest),
   * so a retry finds the row it already wrote and adds neither a second extension nor a second
   * audit entry. Without one, every call grants anew.
   */
  grant: orgProcedure
    .input(
      z.object({
        cohortId,
        userId,
        itemKey: itemKey.nullable(),
        days: z
          .int({ error: "Give the extension in whole days." })
          .min(1, { error: "Give at least 1 day." })
          .max(365, { error: "Give at most 365 days." }),
        reason: z
          .string()
          .trim()
          .min(1, { error: "Say why the learner gets more time." })
          .max(500, { error: "Keep the reason under 500 characters." }),
        requestId: z.uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const tenantId = ctx.tenant.tenantId;
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        const learner = await findCohortLearner(tx, { tenantId, cohortId: cohort.id, userId: input.userId });
        if (!learner) throw notFound(`Learner in ${cohort.name}`);
        const item = input.itemKey === null ? null : (await itemsOfVersion(tx, cohort.courseVersionId)).find((i) => i.key === input.itemKey);
        if (item === undefined) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `"${input.itemKey}" is not an item of ${cohort.name}'s schedule.` });
        }
        const grant = { cohortId: cohort.id, userId: learner.userId, itemKey: input.itemKey, days: input.days, reason: input.reason };
        const at = now();
        const id =
          input.requestId === undefined
            ? undefined
            : rowIdForRequest({ tenantId, userId: ctx.user.id, kind: "extension", requestId: input.requestId });
        const { created, row } = await insertExtension(tx, { tenantId, id, ...grant, grantedBy: ctx.user.id, createdAt: at });
        if (!row || !sameGrant(row, grant)) {
          throw new TRPCError({ code: "CONFLICT", message: "This request id was already used for another extension. Send a new one." });
        }
        // Counted with the new row in, so a retry of a grant already made is never refused; refusing rolls the row back.
        if (created)
          await refuseBeyondLimit(tx, {
            tenantId,
            cohortId: cohort.id,
            userId: learner.userId,
            versionId: cohort.courseVersionId,
            itemKey: input.itemKey,
          });
        if (created) {
          await appendAuditEntry(tx, {
            tenantId,
            cohortId: cohort.id,
            actorId: ctx.user.id,
            action: "extension.granted",
            detail: {
              extensionId: row.id,
              learner: { id: learner.userId, name: learner.displayName },
              item: item ? { key: item.key, title: item.title } : null,
              days: row.days,
              reason: row.reason,
            },
            createdAt: at,
          });
        }
        return { ...row, itemTitle: item?.title ?? null, created };
      }),
    ),

  /** Withdraws an extension. Revoking it again changes nothing: the first revocation's time and person stay. */
  revoke: orgProcedure.input(z.object({ extensionId: z.uuid() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const tenantId = ctx.tenant.tenantId;
      const extension = await findExtension(tx, { tenantId, extensionId: input.extensionId });
      if (!extension) throw notFound("Extension");
      const cohort = await managedCohortOrNotFound(tx, ctx, extension.cohortId);
      const at = now();
      const result = await revokeExtension(tx, { tenantId, extensionId: extension.id, revokedBy: ctx.user.id, revokedAt: at });
      if (!result) throw notFound("Extension");
      if (result.revoked) {
        const learner = await findCohortLearner(tx, { tenantId, cohortId: cohort.id, userId: extension.userId });
        const item = extension.itemKey === null ? null : (await itemsOfVersion(tx, cohort.courseVersionId)).find((i) => i.key === extension.itemKey);
        await appendAuditEntry(tx, {
          tenantId,
          cohortId: cohort.id,
          actorId: ctx.user.id,
          action: "extension.revoked",
          detail: {
            extensionId: extension.id,
            learner: { id: extension.userId, name: learner?.displayName ?? null },
            // The same shape as the grant's entry; an item the cohort's version no longer has keeps its key only.
            item: extension.itemKey === null ? null : { key: extension.itemKey, title: item?.title ?? null },
            days: extension.days,
          },
          createdAt: at,
        });
      }
      return { id: result.row.id, revokedAt: result.row.revokedAt, alreadyRevoked: !result.revoked };
    }),
  ),

  /** Who changed what in the cohort and when, newest first. */
  auditLog: orgProcedure.input(z.object({ cohortId, limit: z.int().min(1).max(500).default(100) })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      return listAuditLog(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id, limit: input.limit });
    }),
  ),

  /** The caller's own extensions that count (not revoked), as the learner sees them. */
  mine: orgProcedure.input(z.object({ courseId: z.uuid().optional() }).default({})).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const rows = await listOwnExtensions(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, courseId: input.courseId });
      const titles = await itemTitles(
        tx,
        rows.map((r) => r.courseVersionId),
      );
      return rows.map(({ courseVersionId, ...row }) => ({
        ...row,
        itemTitle: row.itemKey === null ? null : (titles.get(courseVersionId)?.get(row.itemKey) ?? null),
      }));
    }),
  ),
});
