import { editions, loadEdition } from "@cookbook/content";
import type { Database } from "./client";
import { publishEdition } from "./queries/courses";

export const COOKBOOK_SLUG = "data-engineering-cookbook";

/**
 * Publishes every vendored edition, oldest first, so the newest is the current version.
 * Idempotent: editions already published are left as they are.
 */
export async function publishCookbook(db: Database) {
  const results = [];
  for (const edition of editions) {
    const course = loadEdition(edition.id);
    const { course: row, version, created } = await publishEdition(db, { courseSlug: COOKBOOK_SLUG, course });
    const lessons = course.parts.flatMap((p) => p.chapters).reduce((n, c) => n + c.lessons.length, 0);
    results.push({ courseId: row.id, edition: version.edition, sequence: version.sequence, created, lessons });
  }
  return results;
}
