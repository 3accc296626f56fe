import type { Course } from "@cookbook/content";
import { and, asc, desc, eq, max, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { chapters, courses, courseVersions, lessons } from "../schema/index";

/**
 * Publishes an imported edition as the course's next version. Idempotent: publishing an
 * edition that is already a version of the course returns that version unchanged.
 * Progress is keyed by lesson key, so nothing about learners changes here.
 */
export async function publishEdition(db: Database, input: { courseSlug: string; course: Course }) {
  return db.transaction(async (tx) => {
    await tx.insert(courses).values({ slug: input.courseSlug, title: input.course.title }).onConflictDoNothing({ target: courses.slug });
    const [course] = await tx.select().from(courses).where(eq(courses.slug, input.courseSlug)).for("no key update");
    if (!course) throw new Error(`course ${input.courseSlug} vanished`);
    const [existing] = await tx
      .select()
      .from(courseVersions)
      .where(and(eq(courseVersions.courseId, course.id), eq(courseVersions.edition, input.course.edition)));
    if (existing) return { course, version: existing, created: false };

    const [last] = await tx
      .select({ seq: max(courseVersions.sequence) })
      .from(courseVersions)
      .where(eq(courseVersions.courseId, course.id));
    const [version] = await tx
      .insert(courseVersions)
      .values({ courseId: course.id, edition: input.course.edition, sequence: (last?.seq ?? 0) + 1 })
      .returning();
    if (!version) throw new Error("course version insert returned nothing");

    const chapterRows = input.course.parts.flatMap((part) =>
      part.chapters.map((ch) => ({
        courseVersionId: version.id,
        partNumber: part.number,
        partTitle: part.title,
        number: ch.number,
        title: ch.title,
        slug: ch.slug,
        intro: ch.intro,
      })),
    );
    await tx.insert(chapters).values(chapterRows);
    const lessonRows = input.course.parts
      .flatMap((part) => part.chapters)
      .flatMap((ch) => ch.lessons.map((lesson) => ({ chapterNumber: ch.number, lesson })))
      .map(({ chapterNumber, lesson }, position) => ({
        courseVersionId: version.id,
        chapterNumber,
        position,
        key: lesson.key,
        number: lesson.number,
        title: lesson.title,
        depth: lesson.depth,
        outline: lesson.outline,
        blocks: lesson.blocks,
        contentHash: lesson.contentHash,
      }));
    if (lessonRows.length > 0) await tx.insert(lessons).values(lessonRows);
    // The funnel's rollup counts completions per part of the current version, which this now is.
    await tx.execute(sql`select rebuild_learner_part_progress(${course.id})`);
    return { course, version, created: true };
  });
}

export async function getCurrentVersion(db: Executor, courseId: string) {
  const [row] = await db.select().from(courseVersions).where(eq(courseVersions.courseId, courseId)).orderBy(desc(courseVersions.sequence)).limit(1);
  return row ?? null;
}

export async function listCourses(db: Executor) {
  return db.select().from(courses).orderBy(asc(courses.title));
}

/**
 * Published versions never change (a new edition is a new version), so each process keeps the
 * outlines it read, frozen, by version id: every lesson page, plan and gradebook needs one, and
 * reading 185 lessons' headers again each time was a tenth of a gradebook's time.
 */
const outlines = new Map<string, OutlineChapter[]>();
const outlinesKept = 64;

type OutlineChapter = {
  partNumber: number;
  partTitle: string;
  number: number;
  title: string;
  slug: string;
  hasIntro: boolean;
  lessons: { key: string; number: string; title: string; depth: number; outline: boolean; chapterNumber: number; contentHash: string }[];
};

/** Chapters with their lessons' headers (no bodies), in book order; frozen (shared between requests). */
export async function getOutline(db: Executor, versionId: string): Promise<OutlineChapter[]> {
  const kept = outlines.get(versionId);
  if (kept) return kept;
  // Sequential: `db` may be a transaction, whose one connection would queue them anyway.
  const chapterRows = await db
    .select({
      partNumber: chapters.partNumber,
      partTitle: chapters.partTitle,
      number: chapters.number,
      title: chapters.title,
      slug: chapters.slug,
      hasIntro: sql<boolean>`jsonb_array_length(${chapters.intro}) > 0`,
    })
    .from(chapters)
    .where(eq(chapters.courseVersionId, versionId))
    .orderBy(asc(chapters.number));
  const lessonRows = await db
    .select({
      key: lessons.key,
      number: lessons.number,
      title: lessons.title,
      depth: lessons.depth,
      outline: lessons.outline,
      chapterNumber: lessons.chapterNumber,
      contentHash: lessons.contentHash,
    })
    .from(lessons)
    .where(eq(lessons.courseVersionId, versionId))
    .orderBy(asc(lessons.position));
  const outline = chapterRows.map((ch) => ({ ...ch, lessons: lessonRows.filter((l) => l.chapterNumber === ch.number) }));
  // Shared by every request from now on: a caller that tried to change it would throw (modules are strict).
  for (const chapter of outline) {
    for (const lesson of chapter.lessons) Object.freeze(lesson);
    Object.freeze(chapter.lessons);
    Object.freeze(chapter);
  }
  Object.freeze(outline);
  // An unknown id (or a version whose rows are not committed yet) is not remembered.
  if (outline.length === 0) return outline;
  if (outlines.size >= outlinesKept) outlines.delete(outlines.keys().next().value ?? "");
  outlines.set(versionId, outline);
  return outline;
}

/** One lesson of a version, without its neighbours: for writes that only need to know it exists. */
export async function findLesson(db: Executor, versionId: string, key: string) {
  const [row] = await db
    .select({ key: lessons.key, contentHash: lessons.contentHash })
    .from(lessons)
    .where(and(eq(lessons.courseVersionId, versionId), eq(lessons.key, key)));
  return row ?? null;
}

export async function getChapter(db: Executor, versionId: string, number: number) {
  const [chapter] = await db
    .select()
    .from(chapters)
    .where(and(eq(chapters.courseVersionId, versionId), eq(chapters.number, number)));
  if (!chapter) return null;
  const chapterLessons = await db
    .select({ key: lessons.key, number: lessons.number, title: lessons.title, depth: lessons.depth, outline: lessons.outline })
    .from(lessons)
    .where(and(eq(lessons.courseVersionId, versionId), eq(lessons.chapterNumber, number)))
    .orderBy(asc(lessons.position));
  return { chapter, lessons: chapterLessons };
}

export async function getLessonWithNeighbours(db: Executor, versionId: string, key: string) {
  const [lesson] = await db
    .select()
    .from(lessons)
    .where(and(eq(lessons.courseVersionId, versionId), eq(lessons.key, key)));
  if (!lesson) return null;
  const [chapter] = await db
    .select()
    .from(chapters)
    .where(and(eq(chapters.courseVersionId, versionId), eq(chapters.number, lesson.chapterNumber)));
  const siblings = await db
    .select({ key: lessons.key, number: lessons.number, title: lessons.title, depth: lessons.depth, chapterNumber: lessons.chapterNumber })
    .from(lessons)
    .where(eq(lessons.courseVersionId, versionId))
    .orderBy(asc(lessons.position));
  const index = siblings.findIndex((s) => s.key === key);
  return {
    lesson,
    chapter: chapter ?? null,
    chapterLessons: siblings.filter((s) => s.chapterNumber === lesson.chapterNumber),
    previous: siblings[index - 1] ?? null,
    next: siblings[index + 1] ?? null,
  };
}
