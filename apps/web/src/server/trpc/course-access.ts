import { getCurrentVersion } from "@cookbook/db/queries/courses";
import { findEnabledCourse } from "@cookbook/db/queries/learning";
import type { TenantTx } from "@cookbook/db/tenant-scope";
import { z } from "zod";
import { notFound } from "./trpc";

export const courseSlug = z.string().trim().min(1).max(80).regex(/^[a-z0-9-]+$/, { error: "Not a course address." });
export const lessonKey = z.string().trim().min(1).max(200).regex(/^[0-9.]+-[a-z0-9-]*$/, { error: "Not a lesson address." });
export const courseId = z.uuid();

/** A course this organisation has enabled, with its current version; anything else is not found. */
export async function courseOrNotFound(tx: TenantTx, tenantId: string, by: { id: string } | { slug: string }) {
  const course = await findEnabledCourse(tx, tenantId, by);
  if (!course) throw notFound("Course");
  const version = await getCurrentVersion(tx, course.id);
  if (!version) throw notFound("Course");
  return { course, version };
}
