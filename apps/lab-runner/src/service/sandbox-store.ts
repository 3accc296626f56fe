import type { Database } from "@cookbook/db/client";
import { labSandboxes } from "@cookbook/db/schema";
import { liveSandboxStates, type SandboxEndReason } from "@cookbook/lab-runner-api/vocabulary";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { SandboxPolicy } from "./config";

export type SandboxRow = typeof labSandboxes.$inferSelect;
export type NewSandbox = Pick<SandboxRow, "id" | "tenantId" | "userId" | "labSlug" | "labVersion" | "seed" | "driver">;

const live = inArray(labSandboxes.state, liveSandboxStates);

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
 * lab_sandboxes is the record of every sandbox, read by every lab-runner replica; lab-runner
 * connects as the platform role, so these queries are not tenant-scoped (the web app is).
 */
export class SandboxStore {
  constructor(private readonly db: Database) {}

  /**
   * Inserts a sandbox unless it would break a limit, or returns the learner's live sandbox for
   * the same lab. Advisory locks on the learner and the tenant serialise concurrent starts across
   * lab-runner replicas, so two racing starts cannot both squeeze under a limit.
   */
  claim(fresh: NewSandbox, policy: SandboxPolicy, now = new Date()): Promise<{ row: SandboxRow; created: boolean }> {
    return this.db.transaction(async (tx) => {
      // Learner first, then tenant: every claim takes the locks in the same order.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lab-learner:' || ${fresh.userId}))`);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lab-tenant:' || ${fresh.tenantId}))`);
      const mine = await tx.select().from(labSandboxes).where(and(live, eq(labSandboxes.userId, fresh.userId)));
      const sameLab = mine.find((row) => row.tenantId === fresh.tenantId && row.labSlug === fresh.labSlug);
      if (sameLab) return { row: sameLab, created: false };
      if (mine.length >= policy.perLearner) {
        const running = mine.map((row) => `"${row.labSlug}"`).join(", ");
        throw new LimitError(
          "LEARNER_LIMIT",
          `You already have ${mine.length} lab${mine.length === 1 ? "" : "s"} running (${running}); the limit is ${policy.perLearner}. Stop it before starting another.`,
        );
      }
      const [tenantLive] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(labSandboxes)
        .where(and(live, eq(labSandboxes.tenantId, fresh.tenantId)));
      if ((tenantLive?.count ?? 0) >= policy.perTenant) {
        throw new LimitError(
          "TENANT_LIMIT",
          `Your organisation already runs ${policy.perTenant} lab sandboxes, its limit. Try again when one of them stops.`,
        );
      }
      const [row] = await tx
        .insert(labSandboxes)
        .values({ ...fresh, expiresAt: new Date(now.getTime() + policy.ttlMs), lastActivityAt: now, createdAt: now })
        .returning();
      if (!row) throw new Error("insert returned no row");
      return { row, created: true };
    });
  }

  async get(id: string): Promise<SandboxRow | null> {
    const [row] = await this.db.select().from(labSandboxes).where(eq(labSandboxes.id, id));
    return row ?? null;
  }

  /** Live sandboxes of one driver, whichever replica started them; the reconciler compares them with the driver's. */
  listLive(driver: string): Promise<SandboxRow[]> {
    return this.db.select().from(labSandboxes).where(and(live, eq(labSandboxes.driver, driver)));
  }

  /** Live sandboxes of one driver past their TTL or idle too long, at `now`. */
  listDue(driver: string, policy: SandboxPolicy, now = new Date()): Promise<SandboxRow[]> {
    const idleSince = new Date(now.getTime() - policy.idleMs);
    return this.db
      .select()
      .from(labSandboxes)
      .where(and(live, eq(labSandboxes.driver, driver), or(lt(labSandboxes.expiresAt, now), lt(labSandboxes.lastActivityAt, idleSince))));
  }

  /** provisioning → running; a sandbox ended meanwhile (stopped during start) stays ended. */
  async markRunning(id: string): Promise<void> {
    await this.db
      .update(labSandboxes)
      .set({ state: "running" })
      .where(and(eq(labSandboxes.id, id), eq(labSandboxes.state, "provisioning")));
  }

  /** Ends a live sandbox; returns null when it had already ended (so only one caller destroys it). */
  async end(id: string, reason: SandboxEndReason, failure: string | null = null, now = new Date()): Promise<SandboxRow | null> {
    const [row] = await this.db
      .update(labSandboxes)
      .set({ state: reason === "failed" ? "failed" : "ended", endedReason: reason, endedAt: now, ...(failure ? { failure } : {}) })
      .where(and(eq(labSandboxes.id, id), live))
      .returning();
    return row ?? null;
  }

  /** Records that the learner used the sandbox, pushing back the idle deadline. */
  async touch(id: string, now = new Date()): Promise<void> {
    await this.db.update(labSandboxes).set({ lastActivityAt: now }).where(and(eq(labSandboxes.id, id), live));
  }
}
