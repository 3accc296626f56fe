import { liveSandboxStates } from "@cookbook/lab-runner-api/vocabulary";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { labAttempts, labHintReveals, labSandboxes, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

/*
 * What the web app reads and writes of labs. Sandbox rows belong to lab-runner (the web role may
 * only read them); attempts are written here, one per "Check my work".
 */

type LearnerLab = { tenantId: string; userId: string; labSlug: string };

export type LabSandboxRow = typeof labSandboxes.$inferSelect;

/** A sandbox of this tenant by id, or null (another tenant's id is as absent as an unknown one). */
export async function findSandbox(tx: TenantTx, input: { tenantId: string; sandboxId: string }): Promise<LabSandboxRow | null> {
  const [row] = await tx
    .select()
    .from(labSandboxes)
    .where(and(eq(labSandboxes.tenantId, input.tenantId), eq(labSandboxes.id, input.sandboxId)));
  return row ?? null;
}

/** The learner's most recent sandbox for a lab: the live one if any, else the last that failed or ended. */
export async function latestSandbox(tx: TenantTx, input: LearnerLab): Promise<LabSandboxRow | null> {
  const [row] = await tx
    .select()
    .from(labSandboxes)
    .where(and(eq(labSandboxes.tenantId, input.tenantId), eq(labSandboxes.userId, input.userId), eq(labSandboxes.labSlug, input.labSlug)))
    .orderBy(desc(inArray(labSandboxes.state, liveSandboxStates)), desc(labSandboxes.createdAt))
    .limit(1);
  return row ?? null;
}

/** Every sandbox of the tenant that is starting or running, with its learner, oldest first. */
export async function listLiveSandboxes(tx: TenantTx, input: { tenantId: string }) {
  return tx
    .select({
      id: labSandboxes.id,
      userId: labSandboxes.userId,
      displayName: users.displayName,
      email: users.email,
      labSlug: labSandboxes.labSlug,
      state: labSandboxes.state,
      createdAt: labSandboxes.createdAt,
      expiresAt: labSandboxes.expiresAt,
    })
    .from(labSandboxes)
    .innerJoin(users, eq(users.id, labSandboxes.userId))
    .where(and(eq(labSandboxes.tenantId, input.tenantId), inArray(labSandboxes.state, liveSandboxStates)))
    .orderBy(asc(labSandboxes.createdAt));
}

export interface NewLabAttempt extends LearnerLab {
  courseId: string;
  lessonKey: string;
  sandboxId: string;
  labVersion: number;
  score: number;
  maxScore: number;
  result: unknown;
  /** The web app's clock, which cohort deadlines are compared with. */
  createdAt: Date;
}

export async function recordAttempt(tx: TenantTx, input: NewLabAttempt) {
  const [row] = await tx.insert(labAttempts).values(input).returning();
  if (!row) throw new Error("attempt was not recorded");
  return row;
}

export type LabAttemptRow = typeof labAttempts.$inferSelect;

/** The learner's attempts at a lab in a course, newest first. */
export async function listAttempts(tx: TenantTx, input: LearnerLab & { courseId: string; limit?: number }): Promise<LabAttemptRow[]> {
  return tx
    .select()
    .from(labAttempts)
    .where(
      and(
        eq(labAttempts.tenantId, input.tenantId),
        eq(labAttempts.userId, input.userId),
        eq(labAttempts.courseId, input.courseId),
        eq(labAttempts.labSlug, input.labSlug),
      ),
    )
    .orderBy(desc(labAttempts.createdAt))
    .limit(input.limit ?? 50);
}

/** An attempt of this tenant by id, or null (another tenant's id is as absent as an unknown one). */
export async function findAttempt(tx: TenantTx, input: { tenantId: string; attemptId: string }): Promise<LabAttemptRow | null> {
  const [row] = await tx
    .select()
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.id, input.attemptId)));
  return row ?? null;
}

/** Records that a hint of an attempt's step was revealed; revealing it again records nothing (`inserted` false). */
export async function recordHintReveal(
  tx: TenantTx,
  input: { tenantId: string; attemptId: string; stepId: string; hintIndex: number; revealedAt: Date },
): Promise<{ inserted: boolean }> {
  const rows = await tx.insert(labHintReveals).values(input).onConflictDoNothing().returning({ attemptId: labHintReveals.attemptId });
  return { inserted: rows.length > 0 };
}

/** The hints revealed for the given attempts of this tenant, in attempt, step and hint order. */
export async function listHintReveals(tx: TenantTx, input: { tenantId: string; attemptIds: readonly string[] }) {
  if (input.attemptIds.length === 0) return [];
  return tx
    .select({ attemptId: labHintReveals.attemptId, stepId: labHintReveals.stepId, hintIndex: labHintReveals.hintIndex })
    .from(labHintReveals)
    .where(and(eq(labHintReveals.tenantId, input.tenantId), inArray(labHintReveals.attemptId, [...input.attemptIds])))
    .orderBy(asc(labHintReveals.attemptId), asc(labHintReveals.stepId), asc(labHintReveals.hintIndex));
}

/** The best (highest score, then most recent) and the last attempt, and how many there were. */
export async function attemptSummary(tx: TenantTx, input: LearnerLab & { courseId: string }) {
  const where = and(
    eq(labAttempts.tenantId, input.tenantId),
    eq(labAttempts.userId, input.userId),
    eq(labAttempts.courseId, input.courseId),
    eq(labAttempts.labSlug, input.labSlug),
  );
  const [last] = await tx.select().from(labAttempts).where(where).orderBy(desc(labAttempts.createdAt)).limit(1);
  const [best] = await tx.select().from(labAttempts).where(where).orderBy(desc(labAttempts.score), desc(labAttempts.createdAt)).limit(1);
  const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(labAttempts).where(where);
  return { last: last ?? null, best: best ?? null, count: counted?.n ?? 0 };
}

/** Per member and lab of a course: attempts, best score (with its maximum) and when they last checked. */
export async function labScoresByMember(tx: TenantTx, input: { tenantId: string; courseId: string }) {
  return tx
    .select({
      userId: labAttempts.userId,
      labSlug: labAttempts.labSlug,
      lessonKey: labAttempts.lessonKey,
      attempts: sql<number>`count(*)::int`,
      bestScore: sql<number>`max(${labAttempts.score})::int`,
      maxScore: sql<number>`(array_agg(${labAttempts.maxScore} order by ${labAttempts.score} desc, ${labAttempts.createdAt} desc))[1]::int`,
      lastAttemptAt: sql<Date>`max(${labAttempts.createdAt})`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(labAttempts)
    .where(and(eq(labAttempts.tenantId, input.tenantId), eq(labAttempts.courseId, input.courseId)))
    .groupBy(labAttempts.userId, labAttempts.labSlug, labAttempts.lessonKey)
    .orderBy(asc(labAttempts.labSlug));
}
