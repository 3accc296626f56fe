import { deleteCalendarFeed, findCalendarFeed, resetCalendarFeed } from "@cookbook/db/queries/calendar-feeds";
import { now } from "~/server/clock";
import { calendarFeedUrl } from "~/server/cohorts/calendar-feed";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * The caller's personal calendar feed: one per user across all their organisations. Its address
 * holds a secret token, shown once when it is made (like a password); resetting replaces it,
 * so a leaked address stops working.
 */
export const calendarRouter = createTRPCRouter({
  /** Whether the caller has a feed, and since when; never the address again. */
  feed: protectedProcedure.query(async ({ ctx }) => {
    const feed = await findCalendarFeed(ctx.db, ctx.user.id);
    return { exists: feed !== null, createdAt: feed?.createdAt ?? null };
  }),

  /** Makes a new address (the old one, if any, stops working) and returns it, this once. */
  resetFeed: protectedProcedure.mutation(async ({ ctx }) => {
    const { token, createdAt } = await resetCalendarFeed(ctx.db, { userId: ctx.user.id, now: now() });
    return { url: calendarFeedUrl(token), createdAt };
  }),

  deleteFeed: protectedProcedure.mutation(async ({ ctx }) => ({ deleted: await deleteCalendarFeed(ctx.db, ctx.user.id) })),
});
