import type { Database } from "@cookbook/db/client";
import { listLearnerCohorts } from "@cookbook/db/queries/cohort-plan";
import { listMembershipsOfUser } from "@cookbook/db/queries/tenants";
import { withTenant } from "@cookbook/db/tenant-scope";
import { formatInZone } from "@cookbook/schedule/zoned-time";
import ical, { ICalEventTransparency } from "ical-generator";
import { createHash } from "node:crypto";
import { publicUrl } from "~/env";
import { itemPath, memberPlan, type PlanItem } from "./learner-plan";

/** Calendar apps poll a subscribed feed; an hour is often enough for due dates that rarely move. */
const refreshSeconds = 3600;

/** The feed's address for a token, on the public origin (the token is its only credential). */
export function calendarFeedUrl(token: string): string {
  return new URL(`/api/calendar/${token}.ics`, publicUrl).href;
}

/**
 * Stable for one learner, cohort and item, so a calendar app that sees a due date move (an
 * extension, a new schedule) updates its event instead of adding a second one. Hashed: a shared
 * .ics file does not carry the user's id.
 */
function eventUid(userId: string, cohortId: string, itemKey: string): string {
  const digest = createHash("sha256").update(`${userId}\n${cohortId}\n${itemKey}`).digest("hex").slice(0, 32);
  return `${digest}@${publicUrl.host}`;
}

function describe(item: PlanItem, cohort: { name: string; timeZone: string }, now: Date): string {
  const lines = [`${cohort.name}: due ${formatInZone(item.dueAt, cohort.timeZone, now)} (${cohort.timeZone}).`];
  if (item.extensionDays > 0) lines.push(`Includes your extension of ${item.extensionDays} day${item.extensionDays === 1 ? "" : "s"}.`);
  if (item.done) lines.push(item.late ? "Done (late)." : "Done.");
  return lines.join("\n");
}

/**
 * The user's due dates across every organisation they belong to, as an iCalendar file: one
 * event per item of every cohort they learn in, at its effective due time (extensions
 * included), in UTC; the cohort's zone is named in the description. Each organisation is read
 * inside its own tenant scope, as that user.
 */
export async function buildCalendarFeed(db: Database, input: { userId: string; now: Date }): Promise<string> {
  const calendar = ical({
    name: "Cookbook Labs: due dates",
    prodId: { company: "cookbook", product: "due-dates" },
    ttl: refreshSeconds,
  });
  for (const membership of await listMembershipsOfUser(db, input.userId)) {
    const scope = { tenantId: membership.tenantId, userId: input.userId };
    await withTenant(db, scope, async (tx) => {
      for (const { member, cohort, course } of await listLearnerCohorts(tx, scope)) {
        const plan = await memberPlan(tx, { tenantId: scope.tenantId, member, cohort, now: input.now });
        for (const item of plan.items) {
          calendar.createEvent({
            id: eventUid(input.userId, plan.cohort.id, item.key),
            start: item.dueAt,
            stamp: input.now,
            summary: `Due: ${item.title}`,
            description: describe(item, plan.cohort, input.now),
            url: new URL(itemPath(course.slug, item), publicUrl).href,
            // A deadline, not a meeting: it does not make the learner look busy.
            transparency: ICalEventTransparency.TRANSPARENT,
          });
        }
      }
    });
  }
  return calendar.toString();
}
