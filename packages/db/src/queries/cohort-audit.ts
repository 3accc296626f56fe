import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { cohortAuditLog, users } from "../schema/index";
import type { TenantTx } from "../tenant-scope";

export type AuditEntry = {
  tenantId: string;
  cohortId: string;
  actorId: string;
  /** e.g. extension.granted, extension.revoked, announcement.posted */
  action: string;
  detail: Record<string, unknown>;
  /** From the server's clock (the column has no default on purpose). */
  createdAt: Date;
};

/**
 * Appends one entry; the log is append-only (the web app's role may not update or delete it).
 * Any executor: joining by link writes it on the platform connection, before the joiner is a
 * member of the organisation whose tenant scope the other writes use.
 */
export async function appendAuditEntry(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(cohortAuditLog).values(entry);
}

/** The cohort's entries, newest first, with the actor's name (null once that account is gone). */
export async function listAuditLog(tx: TenantTx, input: { tenantId: string; cohortId: string; limit: number }) {
  return tx
    .select({
      id: cohortAuditLog.id,
      action: cohortAuditLog.action,
      detail: cohortAuditLog.detail,
      actorId: cohortAuditLog.actorId,
      actorName: users.displayName,
      createdAt: cohortAuditLog.createdAt,
    })
    .from(cohortAuditLog)
    .leftJoin(users, eq(users.id, cohortAuditLog.actorId))
    .where(and(eq(cohortAuditLog.tenantId, input.tenantId), eq(cohortAuditLog.cohortId, input.cohortId)))
    .orderBy(desc(cohortAuditLog.createdAt), desc(cohortAuditLog.id))
    .limit(input.limit);
}
