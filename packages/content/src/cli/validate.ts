/**
 * Imports every vendored edition and checks its structure, then checks every lab definition
 * against the editions; exits non-zero when anything is broken.
 * Run with `pnpm --filter @cookbook/content validate`.
 */
import { courseProblems } from "../course-problems";
import { editions, loadEdition } from "../editions";
import { attemptProblems } from "../labs/attempts";
import { labs } from "../labs/catalog";
import { labProblems, type EditionLessons } from "../labs/lab-problems";
import { lessonsOf } from "../lessons";

function validateEditions(): { failures: string[]; lessons: EditionLessons[] } {
  const failures: string[] = [];
  const lessons: EditionLessons[] = [];
  for (const edition of editions) {
    let course: ReturnType<typeof loadEdition>;
    try {
      course = loadEdition(edition.id);
    } catch (error) {
      failures.push(`edition ${edition.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const courseLessons = lessonsOf(course);
    const chapters = course.parts.flatMap((part) => part.chapters);
    const outlines = courseLessons.filter((lesson) => lesson.outline).length;
    console.log(
      `edition ${edition.id}: ${course.parts.length} parts, ${chapters.length} chapters, ${courseLessons.length} lessons (${outlines} outline)`,
    );
    failures.push(...courseProblems(course).map((problem) => `edition ${edition.id}: ${problem}`));
    lessons.push({ id: edition.id, lessonKeys: new Set(courseLessons.map((lesson) => lesson.key)) });
  }
  return { failures, lessons };
}

function validateLabs(lessons: readonly EditionLessons[]): string[] {
  const failures = [...labProblems(labs, lessons), ...attemptProblems(labs)];
  for (const lab of labs) {
    console.log(`lab ${lab.slug} (v${lab.version}, lesson ${lab.lessonKey}): ${lab.steps.length} steps, services ${lab.services.join(", ")}`);
  }
  return failures;
}

const editionResult = validateEditions();
const failures = [...editionResult.failures, ...validateLabs(editionResult.lessons)];
if (failures.length > 0) {
  for (const failure of failures) console.error(`content validation failed: ${failure}`);
  process.exit(1);
}
