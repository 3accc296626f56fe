export type LessonStatus = "not_started" | "completed" | "updated";

interface OutlineLesson {
  key: string;
  contentHash: string;
}
interface OutlineChapter {
  lessons: OutlineLesson[];
}
interface Completion {
  lessonKey: string;
  contentHash: string;
}

/**
 * Joins a version's outline with a learner's completions. A completed lesson whose text has
 * changed since is "updated": it still counts as done, and is flagged for a re-read.
 * Completions of keys that no longer exist in this version are ignored, not deleted.
 */
export function summarizeProgress<C extends OutlineChapter>(outline: C[], completions: Completion[]) {
  type L = C["lessons"][number];
  const done = new Map(completions.map((c) => [c.lessonKey, c.contentHash]));
  const statusOf = (lesson: OutlineLesson): LessonStatus => {
    const hash = done.get(lesson.key);
    if (hash === undefined) return "not_started";
    return hash === lesson.contentHash ? "completed" : "updated";
  };
  const chapters = outline.map(({ lessons: chapterLessons, ...chapter }) => {
    const lessons: (L & { status: LessonStatus })[] = chapterLessons.map((lesson) => ({ ...lesson, status: statusOf(lesson) }));
    const completed = lessons.filter((l) => l.status !== "not_started").length;
    return { ...chapter, lessons, completed, total: lessons.length };
  });
  const total = chapters.reduce((n, c) => n + c.total, 0);
  const completed = chapters.reduce((n, c) => n + c.completed, 0);
  return { chapters, total, completed, percent: total === 0 ? 0 : Math.round((completed / total) * 100) };
}
