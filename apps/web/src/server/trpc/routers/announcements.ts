import {
  deleteAnnouncement,
  findAnnouncement,
  insertAnnouncement,
  listAnnouncements,
  listLearnerAnnouncements,
} from "@cookbook/db/queries/announcements";
import { appendAuditEntry } from "@cookbook/db/queries/cohort-audit";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { managedCohortOrNotFound, staffCohortOrNotFound } from "~/server/cohorts/cohort-access";
import { cohortId } from "~/server/cohorts/inputs";
import { now } from "~/server/clock";
import { rowIdForRequest } from "~/server/cohorts/request-id";
import { createTRPCRouter, notFound, orgProcedure } from "../trpc";

/** A learner's home page shows the latest ones; older announcements stay on the cohort's page for its staff. */
const learnerFeedLimit = 50;

export const announcementsRouter = createTRPCRouter({
  /**
   * Posts to the cohort's learners, with an audit entry. Idempotent through `requestId`, as
   * extensions.grant: the announcement's id is derived from it, so a retried post adds nothing.
   */
  post: orgProcedure
    .input(
      z.object({
        cohortId,
        title: z.string().trim().min(1, { error: "Give the announcement a title." }).max(200, { error: "Keep the title under 200 characters." }),
        body: z.string().trim().min(1, { error: "Write the announcement." }).max(5000, { error: "Keep the announcement under 5000 characters." }),
        requestId: z.uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.scoped(async (tx) => {
        const cohort = await managedCohortOrNotFound(tx, ctx, input.cohortId);
        const at = now();
        const post = { cohortId: cohort.id, authorId: ctx.user.id, title: input.title, body: input.body };
        const id =
          input.requestId === undefined
            ? undefined
            : rowIdForRequest({ tenantId: ctx.tenant.tenantId, userId: ctx.user.id, kind: "announcement", requestId: input.requestId });
        const { created, row } = await insertAnnouncement(tx, { tenantId: ctx.tenant.tenantId, id, ...post, createdAt: at });
        if (!row || row.cohortId !== post.cohortId || row.authorId !== post.authorId || row.title !== post.title || row.body !== post.body) {
          throw new TRPCError({ code: "CONFLICT", message: "This request id was already used for another announcement. Send a new one." });
        }
        if (!created) return row;
        await appendAuditEntry(tx, {
          tenantId: ctx.tenant.tenantId,
          cohortId: cohort.id,
          actorId: ctx.user.id,
          action: "announcement.posted",
          detail: { announcementId: row.id, title: row.title },
          createdAt: at,
        });
        return row;
      }),
    ),

  /** Removes an announcement, with an audit entry that keeps its title. */
  delete: orgProcedure.input(z.object({ announcementId: z.uuid() })).mutation(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const tenantId = ctx.tenant.tenantId;
      const announcement = await findAnnouncement(tx, { tenantId, announcementId: input.announcementId });
      if (!announcement) throw notFound("Announcement");
      const cohort = await managedCohortOrNotFound(tx, ctx, announcement.cohortId);
      // Two deletes at once: only the one that removed the row writes the audit entry.
      if (!(await deleteAnnouncement(tx, { tenantId, announcementId: announcement.id }))) throw notFound("Announcement");
      await appendAuditEntry(tx, {
        tenantId,
        cohortId: cohort.id,
        actorId: ctx.user.id,
        action: "announcement.deleted",
        detail: { announcementId: announcement.id, title: announcement.title },
        createdAt: now(),
      });
      return { ok: true as const };
    }),
  ),

  /** A cohort's announcements, newest first, for its staff. */
  list: orgProcedure.input(z.object({ cohortId })).query(({ ctx, input }) =>
    ctx.scoped(async (tx) => {
      const cohort = await staffCohortOrNotFound(tx, ctx, input.cohortId);
      return listAnnouncements(tx, { tenantId: ctx.tenant.tenantId, cohortId: cohort.id });
    }),
  ),

  /** The announcements of every cohort the caller learns in (in the active organisation), newest first. */
  mine: orgProcedure.query(({ ctx }) =>
    ctx.scoped((tx) => listLearnerAnnouncements(tx, { tenantId: ctx.tenant.tenantId, userId: ctx.user.id, limit: learnerFeedLimit })),
  ),
});
