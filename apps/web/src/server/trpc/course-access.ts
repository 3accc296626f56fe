import { findLesson, getCurrentVersion, getLessonWithNeighbours } from "@cookbook/db/queries/courses";
import { findPinnedVersion } from "@cookbook/db/queries/cohort-plan";
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

/**
 * A course this organisation has enabled, with the version `userId` reads: their cohort's pinned
 * version when they learn in a cohort, else (self-paced, or no user given) the current one.
 * Anything else is not found.
 */
export async function courseOrNotFound(tx: TenantTx, input: { tenantId: string; userId?: string } & ({ id: string } | { slug: string })) {
  const course = await findEnabledCourse(tx, input);
  if (!course) throw notFound("Course");
  const version = await learnerVersion(tx, { tenantId: input.tenantId, courseId: course.id, userId: input.userId });
  if (!version) throw notFound("Course");
  return { course, version };
}

/** The course version a learner reads: their cohort's pinned one, else the current one. */
export async function learnerVersion(tx: TenantTx, input: { tenantId: string; courseId: string; userId?: string | undefined }) {
  const pinned = input.userId ? await findPinnedVersion(tx, { tenantId: input.tenantId, courseId: input.courseId, userId: input.userId }) : null;
  return pinned ?? (await getCurrentVersion(tx, input.courseId));
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
