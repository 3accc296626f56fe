export type { Block, Chapter, Course, Inline, Lesson, Part } from "./course-model";
export { importEdition } from "./import-edition";
export { editions, loadEdition, type EditionId } from "./editions";
export { lessonsOf } from "./lessons";
export { courseProblems } from "./course-problems";
export { EditionFormatError } from "./parse/edition-format-error";
