import { createHash } from "node:crypto";
import type { LearningEventVerb } from "@cookbook/db/schema";

/**
 * How a learning event becomes an xAPI 1.0.3 statement, for an LRS export. Verbs come from the
 * ADL and TinCan registries (https://registry.tincanapi.com); the table in packages/db/README.md
 * ("Learning events and xAPI") documents the same mapping.
 */
export const xapiVerbs: Record<LearningEventVerb, { id: string; display: string }> = {
  lesson_viewed: { id: "http://id.tincanapi.com/verb/viewed", display: "viewed" },
  lesson_completed: { id: "http://adlnet.gov/expapi/verbs/completed", display: "completed" },
  // ADL's "launched": the platform started the activity's content (here, the lab's sandbox) for the learner.
  lab_started: { id: "http://adlnet.gov/expapi/verbs/launched", display: "launched" },
  lab_checked: { id: "http://adlnet.gov/expapi/verbs/attempted", display: "attempted" },
  lab_passed: { id: "http://adlnet.gov/expapi/verbs/passed", display: "passed" },
};

const lessonType = "http://adlnet.gov/expapi/activities/lesson";
const labType = "http://adlnet.gov/expapi/activities/simulation";
const courseType = "http://adlnet.gov/expapi/activities/course";

export interface XapiEvent {
  id: number;
  tenantId: string;
  userId: string;
  courseSlug: string;
  verb: LearningEventVerb;
  lessonKey: string;
  labSlug: string | null;
  score: number | null;
  maxScore: number | null;
  occurredAt: Date;
}

/**
 * The statement's id: the same event always exports with the same id, so an LRS that is sent a
 * page again keeps one copy (xAPI statement ids are unique per LRS). A UUID (version 8, RFC
 * 9562) from a SHA-256 of the tenant and the event id, so it reveals neither.
 */
export function statementId(tenantId: string, eventId: number): string {
  const hex = createHash("sha256").update(`xapi-statement\n${tenantId}\n${eventId}`).digest("hex");
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The page address of the course, without a trailing slash whatever PUBLIC_URL ends with. */
const base = (publicUrl: URL | string) => String(publicUrl).replace(/\/+$/, "");
const segment = (s: string) => encodeURIComponent(s);

export function toStatement(event: XapiEvent, publicUrl: URL | string) {
  const home = base(publicUrl);
  const courseIri = `${home}/courses/${segment(event.courseSlug)}`;
  const lessonIri = `${courseIri}/${segment(event.lessonKey)}`;
  const isLab = event.labSlug !== null;
  const verb = xapiVerbs[event.verb];
  const graded = event.score !== null && event.maxScore !== null;
  return {
    id: statementId(event.tenantId, event.id),
    version: "1.0.3",
    // Pseudonymous: the account id the platform knows, never an email address or a name.
    actor: { objectType: "Agent" as const, account: { homePage: home, name: event.userId } },
    verb: { id: verb.id, display: { "en-US": verb.display } },
    object: {
      objectType: "Activity" as const,
      id: isLab ? `${lessonIri}#lab-${segment(event.labSlug ?? "")}` : lessonIri,
      definition: { type: isLab ? labType : lessonType },
    },
    ...(graded
      ? {
          result: {
            score: {
              raw: event.score,
              min: 0,
              max: event.maxScore,
              // xAPI wants scaled within [-1, 1]; a lab without points has no scale.
              ...(event.maxScore && event.maxScore > 0 ? { scaled: Math.min(1, Math.max(0, (event.score ?? 0) / event.maxScore)) } : {}),
            },
            success: event.maxScore !== null && event.maxScore > 0 && (event.score ?? 0) >= event.maxScore,
          },
        }
      : {}),
    context: {
      platform: "cookbook",
      contextActivities: {
        // A lab's statements sit in its lesson; every statement sits in its course.
        ...(isLab ? { parent: [{ objectType: "Activity" as const, id: lessonIri, definition: { type: lessonType } }] } : {}),
        grouping: [{ objectType: "Activity" as const, id: courseIri, definition: { type: courseType } }],
      },
    },
    timestamp: event.occurredAt.toISOString(),
  };
}

export type XapiStatement = ReturnType<typeof toStatement>;
