import { findCalendarFeedOwner } from "@cookbook/db/queries/calendar-feeds";
import { now } from "~/server/clock";
import { buildCalendarFeed } from "~/server/cohorts/calendar-feed";
import { db } from "~/server/db";
import { logger } from "~/server/observability/logger";

export const dynamic = "force-dynamic";

/** What resetCalendarFeed makes: 32 random bytes in base64url (43 characters), optionally with the .ics a calendar app likes to see. */
const feedAddress = /^([A-Za-z0-9_-]{43})(?:\.ics)?$/;

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * A learner's personal calendar feed (GET /api/calendar/<token>.ics), for calendar apps: no
 * session, the secret token is the credential. Anything that is not a current token, however
 * long or malformed, is a 404, never an error. Not wrapped in observeRoute: its log line names
 * the path, and this path is a secret.
 */
export async function GET(req: Request): Promise<Response> {
  const segment = new URL(req.url).pathname.split("/").pop() ?? "";
  const token = feedAddress.exec(segment)?.[1];
  if (!token) return text(404, "Unknown calendar address.");
  try {
    const userId = await findCalendarFeedOwner(db, token);
    if (!userId) return text(404, "Unknown calendar address.");
    const body = await buildCalendarFeed(db, { userId, now: now() });
    return new Response(body, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        // Personal: no shared cache may keep it; calendar apps may reuse it for five minutes.
        "Cache-Control": "private, max-age=300",
        "Content-Disposition": 'inline; filename="due-dates.ics"',
      },
    });
  } catch (error) {
    logger().error({ err: error, path: "/api/calendar/<token>" }, "calendar feed failed");
    return text(503, "The calendar is unavailable right now. Your calendar app will try again.");
  }
}
