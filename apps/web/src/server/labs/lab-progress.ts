import { labsForLesson } from "@cookbook/content/labs";

/*
 * A learner's standing in a course's labs from their best attempts (listLabAttemptTimes, one
 * query for the whole course), for the course outline's marks and the course's Labs page.
 */

/** What listLabAttemptTimes answers of one lab for one learner. */
export type LabBest = { labSlug: string; attempts: number; bestScore: number; bestMaxScore: number; firstFullScoreAt: Date | null };

/** One lab of a lesson as a mark beside it: the learner's best score when they have checked it. */
export type LabMark = { slug: string; title: string; best: { score: number; maxScore: number; done: boolean } | null };

export function bestBySlug(rows: readonly LabBest[]): ReadonlyMap<string, LabBest> {
  return new Map(rows.map((r) => [r.labSlug, r]));
}

/** The marks of a lesson's labs (none for a lesson without labs), in the order the lesson shows them. */
export function lessonLabMarks(lessonKey: string, best: ReadonlyMap<string, LabBest>): LabMark[] {
  return labsForLesson(lessonKey).map((lab) => {
    const row = best.get(lab.slug);
    return {
      slug: lab.slug,
      title: lab.title,
      best: row && row.attempts > 0 ? { score: row.bestScore, maxScore: row.bestMaxScore, done: row.firstFullScoreAt !== null } : null,
    };
  });
}

export type LabStatus = "not_started" | "in_progress" | "done" | "locked";

/**
 * Where a learner is with a lab: locked while their cohort's schedule has not opened it, done
 * once a check scored full marks, in progress after any other check, else not started.
 */
export function labStatus(best: LabBest | undefined, scheduleState: string | undefined): LabStatus {
  if (scheduleState === "locked") return "locked";
  if (best?.firstFullScoreAt) return "done";
  return best && best.attempts > 0 ? "in_progress" : "not_started";
}
