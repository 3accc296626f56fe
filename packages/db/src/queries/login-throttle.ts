import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { loginThrottle } from "../schema/index";

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Milliseconds until `key` may try again, or 0. */
export async function lockedFor(db: Executor, key: string, now = new Date()): Promise<number> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

/** Counts a failure atomically; the key locks once it reaches the policy's limit inside the window. */
export async function recordLoginFailure(db: Executor, key: string, policy = defaultThrottlePolicy, now = new Date()) {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${now} else ${loginThrottle.windowStartedAt} end`,
      },
    });
  await db
    .update(loginThrottle)
    .set({ lockedUntil: lockUntil, failures: 0, windowStartedAt: now })
    .where(sql`${loginThrottle.key} = ${key} and ${loginThrottle.failures} >= ${policy.maxFailures}`);
}

export async function clearLoginFailures(db: Executor, key: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
