import type { Course, Lesson } from "./course-model";

/** Every lesson of the course, in reading order. */
export function lessonsOf(course: Course): Lesson[] {
  return course.parts.flatMap((part) => part.chapters.flatMap((chapter) => chapter.lessons));
}
