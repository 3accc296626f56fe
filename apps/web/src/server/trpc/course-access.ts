import { findLesson, getCurrentVersion, getLessonWithNeighbours } from "@cookbook/db/queries/courses";
import { findEnabledCourse } from "@cookbook/db/queries/learning";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { z } from "zod";
import { notFound } from "./trpc";

export const courseSlug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9-]+$/, { error: "Not a course address." });
export const lessonKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[0-9.]+-[a-z0-9-]*$/, { error: "Not a lesson address." });
export const courseId = z.uuid();

/** A course this organisation has enabled, with its current version; anything else is not found. */
export async function courseOrNotFound(tx: TenantTx, input: { tenantId: string } & ({ id: string } | { slug: string })) {
  const course = await findEnabledCourse(tx, input);
  if (!course) throw notFound("Course");
  const version = await getCurrentVersion(tx, course.id);
  if (!version) throw notFound("Course");
  return { course, version };
}

type LessonAddress = { versionId: string; lessonKey: string };

/** A lesson of the course version (its key and content hash), or NOT_FOUND. */
export async function lessonOrNotFound(tx: TenantTx, input: LessonAddress) {
  const lesson = await findLesson(tx, input.versionId, input.lessonKey);
  if (!lesson) throw notFound("Lesson");
  return lesson;
}

/** A lesson of the course version with its chapter and neighbours, for reading it; or NOT_FOUND. */
export async function lessonWithNeighboursOrNotFound(tx: TenantTx, input: LessonAddress) {
  const found = await getLessonWithNeighbours(tx, input.versionId, input.lessonKey);
  if (!found) throw notFound("Lesson");
  return found;
}
