import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { loginThrottle } from "../schema/index";

export interface ThrottlePolicy {
  /** Attempts a key may make before it locks; the attempt that reaches it still runs. */
  maxFailures: number;
  /** Attempts older than this are forgotten while the key has never been locked. */
  windowMs: number;
  /** The first lock's length; each further lock doubles it (up to `maxLockMs`). */
  lockMs: number;
}

/** Once a key has been locked, its count survives until this long after the last lock ended: the backoff's memory. */
const backoffMemoryMs = 24 * 3_600_000;
const maxLockMs = 24 * 3_600_000;

export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Reserves one attempt for `key` in a single statement, before the caller checks the password,
 * so concurrent attempts are counted in order and none of them can slip past the limit while
 * another is still being verified. An attempt counts until `releaseAttempt` refunds it (a
 * success), so a failure needs no second write.
 *
 * The attempt that brings the count to a multiple of `maxFailures` sets the lock (and is itself
 * allowed); while the lock lasts the upsert's WHERE is false, nothing changes and nothing is
 * returned, which is the refusal. Locks double: `lockMs`, 2×, 4×, … up to a day.
 */
export async function reserveAttempt(db: Executor, key: string, policy: ThrottlePolicy, now: Date): Promise<Reservation> {
  const t = loginThrottle;
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const memoryStart = new Date(now.getTime() - backoffMemoryMs);
  const stale = sql`((${t.lockedUntil} is null and ${t.windowStartedAt} <= ${windowStart}) or ${t.lockedUntil} <= ${memoryStart})`;
  const next = sql`(case when ${stale} then 1 else ${t.failures} + 1 end)`;
  const lockUntil = (count: ReturnType<typeof sql>) =>
    sql`${now}::timestamptz + least(${policy.lockMs}::float8 * power(2, ${count} / ${policy.maxFailures} - 1), ${maxLockMs}::float8) * interval '1 millisecond'`;
  const rows = await db
    .insert(t)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: policy.maxFailures === 1 ? new Date(now.getTime() + policy.lockMs) : null })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${stale} then ${now}::timestamptz else ${t.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} % ${policy.maxFailures} = 0 then ${lockUntil(next)} when ${stale} then null else ${t.lockedUntil} end`,
      },
      setWhere: sql`${t.lockedUntil} is null or ${t.lockedUntil} <= ${now}`,
    })
    .returning({ failures: t.failures });
  if (rows.length > 0) return { allowed: true };
  const [row] = await db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key));
  return { allowed: false, retryAfterMs: Math.max(1, (row?.lockedUntil?.getTime() ?? now.getTime()) - now.getTime()) };
}

/** A successful attempt: it does not count against `key` (a shared address keeps its other attempts). */
export async function releaseAttempt(db: Executor, key: string) {
  await db
    .update(loginThrottle)
    .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
    .where(eq(loginThrottle.key, key));
}

/** Forgets `key` entirely, backoff included: its owner proved who they are. */
export async function clearLoginFailures(db: Executor, key: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
