import { liveSandboxStates, type SandboxEndReason } from "@cookbook/lab-runner-api/vocabulary";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { labSandboxes } from "../schema/index";

/*
 * lab-runner's queries of lab_sandboxes, the record of every sandbox that every lab-runner
 * replica reads. lab-runner connects as `cookbook_lab_runner` (SELECT, INSERT, UPDATE on this
 * table only), which is not a member of `cookbook_tenant`, so these take its connection rather
 * than a TenantTx. They filter by tenant where the tenant is known; the ones that cannot (the
 * API names a sandbox by id alone, after the web app checked its tenant; reconcile and reap see
 * every tenant's sandboxes) say so in their names.
 */

export type SandboxRow = typeof labSandboxes.$inferSelect;
export type NewSandbox = Pick<SandboxRow, "id" | "tenantId" | "userId" | "labSlug" | "labVersion" | "seed" | "driver">;
/** One sandbox of one tenant. */
export type SandboxRef = { tenantId: string; sandboxId: string };
export interface SandboxLimits {
  ttlMs: number;
  perLearner: number;
  perTenant: number;
}

const live = inArray(labSandboxes.state, liveSandboxStates);
const isSandbox = (ref: SandboxRef) => and(eq(labSandboxes.tenantId, ref.tenantId), eq(labSandboxes.id, ref.sandboxId));

export class LimitError extends Error {
  constructor(
    readonly code: "LEARNER_LIMIT" | "TENANT_LIMIT",
    message: string,
  ) {
    super(message);
    this.name = "LimitError";
  }
}

/**
 * Inserts a sandbox unless it would break a limit, or returns the learner's live sandbox for
 * the same lab. Advisory locks on the learner and the tenant serialise concurrent starts across
 * lab-runner replicas, so two racing starts cannot both squeeze under a limit. The learner's
 * limit counts their sandboxes in every organisation (it protects the machine, not a tenant).
 */
export function claimSandbox(
  db: Database,
  input: { tenantId: string; sandbox: Omit<NewSandbox, "tenantId">; limits: SandboxLimits; now: Date },
): Promise<{ row: SandboxRow; created: boolean }> {
  const { tenantId, limits, now } = input;
  const fresh = { ...input.sandbox, tenantId };
  return db.transaction(async (tx) => {
    // Learner first, then tenant: every claim takes the locks in the same order.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lab-learner:' || ${fresh.userId}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lab-tenant:' || ${tenantId}))`);
    const mine = await tx
      .select()
      .from(labSandboxes)
      .where(and(live, eq(labSandboxes.userId, fresh.userId)));
    const sameLab = mine.find((row) => row.tenantId === tenantId && row.labSlug === fresh.labSlug);
    if (sameLab) return { row: sameLab, created: false };
    if (mine.length >= limits.perLearner) {
      const running = mine.map((row) => `"${row.labSlug}"`).join(", ");
      throw new LimitError(
        "LEARNER_LIMIT",
        `You already have ${mine.length} lab${mine.length === 1 ? "" : "s"} running (${running}); the limit is ${limits.perLearner}. Stop it before starting another.`,
      );
    }
    const [tenantLive] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(labSandboxes)
      .where(and(live, eq(labSandboxes.tenantId, tenantId)));
    if ((tenantLive?.count ?? 0) >= limits.perTenant) {
      throw new LimitError(
        "TENANT_LIMIT",
        `Your organisation already runs ${limits.perTenant} lab sandboxes, its limit. Try again when one of them stops.`,
      );
    }
    const [row] = await tx
      .insert(labSandboxes)
      .values({ ...fresh, expiresAt: new Date(now.getTime() + limits.ttlMs), lastActivityAt: now, createdAt: now })
      .returning();
    if (!row) throw new Error("insert returned no row");
    return { row, created: true };
  });
}

/** A sandbox by id in whichever tenant: lab-runner's API and terminal name sandboxes by id alone (the web app checked the tenant). */
export async function findSandboxAcrossTenants(db: Executor, input: { sandboxId: string }): Promise<SandboxRow | null> {
  const [row] = await db.select().from(labSandboxes).where(eq(labSandboxes.id, input.sandboxId));
  return row ?? null;
}

/** Live sandboxes of one driver in every tenant, whichever replica started them; the reconciler compares them with the driver's. */
export function listLiveSandboxesAcrossTenants(db: Executor, input: { driver: string }): Promise<SandboxRow[]> {
  return db
    .select()
    .from(labSandboxes)
    .where(and(live, eq(labSandboxes.driver, input.driver)));
}

/** Live sandboxes of one driver in every tenant past their TTL or idle for `idleMs`, at `now`: the reaper's work. */
export function listDueSandboxesAcrossTenants(db: Executor, input: { driver: string; idleMs: number; now: Date }): Promise<SandboxRow[]> {
  const idleSince = new Date(input.now.getTime() - input.idleMs);
  return db
    .select()
    .from(labSandboxes)
    .where(and(live, eq(labSandboxes.driver, input.driver), or(lt(labSandboxes.expiresAt, input.now), lt(labSandboxes.lastActivityAt, idleSince))));
}

/** provisioning → running; a sandbox ended meanwhile (stopped during start) stays ended. */
export async function markSandboxRunning(db: Executor, input: SandboxRef): Promise<void> {
  await db
    .update(labSandboxes)
    .set({ state: "running" })
    .where(and(isSandbox(input), eq(labSandboxes.state, "provisioning")));
}

/** Ends a live sandbox; returns null when it had already ended (so only one caller destroys it). */
export async function endSandbox(
  db: Executor,
  input: SandboxRef & { reason: SandboxEndReason; failure: string | null; now: Date },
): Promise<SandboxRow | null> {
  const [row] = await db
    .update(labSandboxes)
    .set({
      state: input.reason === "failed" ? "failed" : "ended",
      endedReason: input.reason,
      endedAt: input.now,
      ...(input.failure ? { failure: input.failure } : {}),
    })
    .where(and(isSandbox(input), live))
    .returning();
  return row ?? null;
}

/** Records that the learner used the sandbox, pushing back the idle deadline. */
export async function touchSandbox(db: Executor, input: SandboxRef & { now: Date }): Promise<void> {
  await db
    .update(labSandboxes)
    .set({ lastActivityAt: input.now })
    .where(and(isSandbox(input), live));
}
