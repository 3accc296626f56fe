import { and, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { cohortExtensions, cohortMembers, cohorts, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export type ExtensionRow = typeof cohortExtensions.$inferSelect;

const grantor = alias(users, "grantor");

/** A cohort's extensions, newest first, with the learner's and the grantor's names (null once that account is gone). */
export async function listExtensions(tx: TenantTx, input: { tenantId: string; cohortId: string; userId?: string }) {
  return tx
    .select({
      id: cohortExtensions.id,
      userId: cohortExtensions.userId,
      learnerName: users.displayName,
      itemKey: cohortExtensions.itemKey,
      days: cohortExtensions.days,
      reason: cohortExtensions.reason,
      grantedByName: grantor.displayName,
      createdAt: cohortExtensions.createdAt,
      revokedAt: cohortExtensions.revokedAt,
    })
    .from(cohortExtensions)
    .innerJoin(users, eq(users.id, cohortExtensions.userId))
    .leftJoin(grantor, eq(grantor.id, cohortExtensions.grantedBy))
    .where(
      and(
        eq(cohortExtensions.tenantId, input.tenantId),
        eq(cohortExtensions.cohortId, input.cohortId),
        input.userId === undefined ? undefined : eq(cohortExtensions.userId, input.userId),
      ),
    )
    .orderBy(desc(cohortExtensions.createdAt), desc(cohortExtensions.id));
}

/** The learner's extensions that still count (not revoked), with their cohort; optionally for one course only. */
export async function listOwnExtensions(tx: TenantTx, input: { tenantId: string; userId: string; courseId?: string }) {
  return tx
    .select({
      id: cohortExtensions.id,
      cohortId: cohorts.id,
      cohortName: cohorts.name,
      courseId: cohorts.courseId,
      courseVersionId: cohorts.courseVersionId,
      itemKey: cohortExtensions.itemKey,
      days: cohortExtensions.days,
      reason: cohortExtensions.reason,
      createdAt: cohortExtensions.createdAt,
    })
    .from(cohortExtensions)
    .innerJoin(cohorts, and(eq(cohorts.tenantId, cohortExtensions.tenantId), eq(cohorts.id, cohortExtensions.cohortId)))
    .where(
      and(
        eq(cohortExtensions.tenantId, input.tenantId),
        eq(cohortExtensions.userId, input.userId),
        isNull(cohortExtensions.revokedAt),
        input.courseId === undefined ? undefined : eq(cohorts.courseId, input.courseId),
      ),
    )
    .orderBy(desc(cohortExtensions.createdAt), desc(cohortExtensions.id));
}

export async function findExtension(tx: TenantTx, input: { tenantId: string; extensionId: string }): Promise<ExtensionRow | null> {
  const [row] = await tx
    .select()
    .from(cohortExtensions)
    .where(and(eq(cohortExtensions.tenantId, input.tenantId), eq(cohortExtensions.id, input.extensionId)));
  return row ?? null;
}

/** A learner of the cohort, with their name; null when the user is not in it. */
export async function findCohortLearner(tx: TenantTx, input: { tenantId: string; cohortId: string; userId: string }) {
  const [row] = await tx
    .select({ userId: cohortMembers.userId, displayName: users.displayName })
    .from(cohortMembers)
    .innerJoin(users, eq(users.id, cohortMembers.userId))
    .where(and(eq(cohortMembers.tenantId, input.tenantId), eq(cohortMembers.cohortId, input.cohortId), eq(cohortMembers.userId, input.userId)));
  return row ?? null;
}

export type NewExtension = {
  tenantId: string;
  /** Derived from the client's request id when it sent one: a retried grant then meets its own row instead of adding a second. */
  id?: string;
  cohortId: string;
  userId: string;
  itemKey: string | null;
  days: number;
  reason: string;
  grantedBy: string;
  createdAt: Date;
};

/**
 * Adds the extension; `created: false` when a row with the same id already existed (a retry),
 * which is then returned as it is, or null when that id is taken by a row this tenant cannot see.
 */
export async function insertExtension(tx: TenantTx, input: NewExtension): Promise<{ created: boolean; row: ExtensionRow | null }> {
  const [created] = await tx.insert(cohortExtensions).values(input).onConflictDoNothing({ target: cohortExtensions.id }).returning();
  if (created) return { created: true, row: created };
  if (input.id === undefined) throw new Error("extension insert returned nothing");
  return { created: false, row: await findExtension(tx, { tenantId: input.tenantId, extensionId: input.id }) };
}

/** Marks the extension revoked; a second revocation changes nothing (the first time and person stay). Null: no such extension. */
export async function revokeExtension(
  tx: TenantTx,
  input: { tenantId: string; extensionId: string; revokedBy: string; revokedAt: Date },
): Promise<{ revoked: boolean; row: ExtensionRow } | null> {
  const [revoked] = await tx
    .update(cohortExtensions)
    .set({ revokedAt: input.revokedAt, revokedBy: input.revokedBy })
    .where(and(eq(cohortExtensions.tenantId, input.tenantId), eq(cohortExtensions.id, input.extensionId), isNull(cohortExtensions.revokedAt)))
    .returning();
  if (revoked) return { revoked: true, row: revoked };
  const existing = await findExtension(tx, input);
  return existing ? { revoked: false, row: existing } : null;
}
