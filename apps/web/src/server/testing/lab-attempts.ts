import type { Database } from "@cookbook/db/client";
import { labAttempts, labSandboxes } from "@cookbook/db/schema";
import { randomUUID } from "node:crypto";

/** The lab an attempt is graded against, as a lab manifest names it. */
type Lab = { slug: string; version: number; lessonKey: string };

/**
 * An ended sandbox of `lab`, written straight to the database: every attempt points at one, and
 * no lab-runner has to start it. Returns its id.
 */
export async function insertEndedSandbox(
  db: Database,
  sandbox: { tenantId: string; userId: string; lab: Pick<Lab, "slug" | "version">; expiresAt: Date; endedAt?: Date },
) {
  const id = `sb-${randomUUID().slice(0, 12)}`;
  const { tenantId, userId, lab, expiresAt, endedAt } = sandbox;
  await db
    .insert(labSandboxes)
    .values({ id, tenantId, userId, labSlug: lab.slug, labVersion: lab.version, seed: "s", driver: "local", state: "ended", expiresAt, endedAt });
  return id;
}

/**
 * A graded attempt as labs.check writes it, dated `createdAt` so a test can place it anywhere in
 * a schedule. Without `sandboxId` it gets an ended sandbox of its own, expiring at `createdAt`.
 * Returns the attempt row, whose `sandboxId` names its sandbox.
 */
export async function insertGradedAttempt(
  db: Database,
  attempt: {
    tenantId: string;
    userId: string;
    courseId: string;
    lab: Lab;
    createdAt: Date;
    score: number;
    maxScore: number;
    result: unknown;
    sandboxId?: string;
  },
) {
  const { tenantId, userId, courseId, lab, createdAt, score, maxScore, result } = attempt;
  const sandboxId = attempt.sandboxId ?? (await insertEndedSandbox(db, { tenantId, userId, lab, expiresAt: createdAt }));
  const [row] = await db
    .insert(labAttempts)
    .values({
      tenantId,
      userId,
      courseId,
      lessonKey: lab.lessonKey,
      sandboxId,
      labSlug: lab.slug,
      labVersion: lab.version,
      score,
      maxScore,
      result,
      createdAt,
    })
    .returning();
  if (!row) throw new Error("no attempt");
  return row;
}
