import type { Course } from "./course-model";
import { lessonsOf } from "./lessons";

/** Structural problems that would break publishing or progress tracking; empty when the course is sound. */
export function courseProblems(course: Course): string[] {
  const problems: string[] = [];
  const chapters = course.parts.flatMap((part) => part.chapters);
  chapters.forEach((chapter, i) => {
    if (chapter.number !== i + 1) problems.push(`chapter ${chapter.number} is in position ${i + 1}`);
    if (!chapter.title) problems.push(`chapter ${chapter.number} has no title`);
    for (const lesson of chapter.lessons) {
      if (!lesson.number.startsWith(`${chapter.number}.`)) problems.push(`lesson ${lesson.key} is filed under chapter ${chapter.number}`);
    }
  });
  const seen = new Set<string>();
  for (const lesson of lessonsOf(course)) {
    if (!lesson.title) problems.push(`lesson ${lesson.number} has no title`);
    if (seen.has(lesson.key)) problems.push(`duplicate lesson key ${lesson.key}`);
    seen.add(lesson.key);
    if (lesson.outline !== (lesson.blocks.length === 0)) problems.push(`lesson ${lesson.key} is marked outline wrongly`);
  }
  return problems;
}
