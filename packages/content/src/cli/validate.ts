/**
 * Imports every vendored edition and checks its structure; exits non-zero when any
 * edition is broken. Run with `pnpm --filter @cookbook/content validate`.
 */
import { courseProblems } from "../course-problems";
import { editions, loadEdition } from "../editions";
import { lessonsOf } from "../lessons";

function validateEditions(): string[] {
  const failures: string[] = [];
  for (const edition of editions) {
    let course;
    try {
      course = loadEdition(edition.id);
    } catch (error) {
      failures.push(`edition ${edition.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const lessons = lessonsOf(course);
    const chapters = course.parts.flatMap((part) => part.chapters);
    const outlines = lessons.filter((lesson) => lesson.outline).length;
    console.log(
      `edition ${edition.id}: ${course.parts.length} parts, ${chapters.length} chapters, ${lessons.length} lessons (${outlines} outline)`,
    );
    failures.push(...courseProblems(course).map((problem) => `edition ${edition.id}: ${problem}`));
  }
  return failures;
}

const failures = validateEditions();
if (failures.length > 0) {
  for (const failure of failures) console.error(`content validation failed: ${failure}`);
  process.exit(1);
}
