import { eq } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { Executor } from "../client";
import { calendarFeeds } from "../schema/index";

/** Only the hash is stored: whoever reads the table cannot subscribe to anyone's calendar. */
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Whether the user has a feed, and since when; the token itself is never readable again. */
export async function findCalendarFeed(db: Executor, userId: string): Promise<{ createdAt: Date } | null> {
  const [row] = await db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return row ?? null;
}

/**
 * Gives the user a new secret token (32 random bytes, base64url), replacing any earlier one, so
 * an old address stops working at once. The token is returned this once.
 */
export async function resetCalendarFeed(db: Executor, input: { userId: string; now: Date }): Promise<{ token: string; createdAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const values = { userId: input.userId, tokenHash: hashToken(token), createdAt: input.now };
  await db
    .insert(calendarFeeds)
    .values(values)
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash: values.tokenHash, createdAt: values.createdAt } });
  return { token, createdAt: input.now };
}

/** False when there was no feed. */
export async function deleteCalendarFeed(db: Executor, userId: string): Promise<boolean> {
  const gone = await db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).returning({ userId: calendarFeeds.userId });
  return gone.length === 1;
}

/** The user a feed token belongs to, or null for an unknown or replaced token. */
export async function findCalendarFeedOwner(db: Executor, token: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: calendarFeeds.userId })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.tokenHash, hashToken(token)));
  return row?.userId ?? null;
}
