import { and, asc, eq, gt } from "drizzle-orm";
import { courses, learningEvents, type LearningEventVerb } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export interface LearningEventInput {
  tenantId: string;
  userId: string;
  courseId: string;
  verb: LearningEventVerb;
  lessonKey: string;
  labSlug?: string | null;
  attemptId?: string | null;
  score?: number | null;
  maxScore?: number | null;
  /** The web app's clock (`now()`), the same one the write it describes used. */
  occurredAt: Date;
}

/**
 * Appends events in the caller's transaction, so an event exists exactly when the write it
 * describes committed. Row-level security accepts only events of the transaction's own user.
 */
export async function recordEvents(tx: TenantTx, events: LearningEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(learningEvents).values(events);
}

export const recordEvent = (tx: TenantTx, event: LearningEventInput) => recordEvents(tx, [event]);

/** The largest page the export hands out: a bounded response whatever the query string asks. */
export const maxEventPage = 1000;

/**
 * One page of a tenant's events in id order (ids only grow, so `afterId` of the last row is a
 * stable cursor even while events are appended), with the course's slug the activity ids need.
 * Asks for one row more than `limit`, so the caller knows whether another page follows.
 */
export async function listEventsAfter(tx: TenantTx, input: { tenantId: string; afterId: number; limit: number }) {
  const limit = Math.min(Math.max(1, Math.trunc(input.limit)), maxEventPage);
  const rows = await tx
    .select({
      id: learningEvents.id,
      tenantId: learningEvents.tenantId,
      userId: learningEvents.userId,
      courseSlug: courses.slug,
      verb: learningEvents.verb,
      lessonKey: learningEvents.lessonKey,
      labSlug: learningEvents.labSlug,
      attemptId: learningEvents.attemptId,
      score: learningEvents.score,
      maxScore: learningEvents.maxScore,
      occurredAt: learningEvents.occurredAt,
    })
    .from(learningEvents)
    .innerJoin(courses, eq(courses.id, learningEvents.courseId))
    .where(and(eq(learningEvents.tenantId, input.tenantId), gt(learningEvents.id, input.afterId)))
    .orderBy(asc(learningEvents.id))
    .limit(limit + 1);
  return { events: rows.slice(0, limit), more: rows.length > limit };
}

export type ExportedEvent = Awaited<ReturnType<typeof listEventsAfter>>["events"][number];
