import { reserveAttempt, type ThrottlePolicy } from "@cookbook/db/queries/login-throttle";
import { TRPCError } from "@trpc/server";
import { env } from "~/env";
import { now } from "~/server/clock";
import { recordLoginLock } from "~/server/observability/metrics";

type Executor = Parameters<typeof reserveAttempt>[0];

/**
 * Every place that checks a typed password (sign-in, and the re-confirmation before an account
 * is deleted) reserves an attempt first, so a stolen session cannot guess the password either.
 *
 * Attempts per email from one address: the owner of an account is not locked out by a stranger
 * elsewhere, and each further lock of the same pair lasts twice as long.
 */
export const pairThrottle: ThrottlePolicy = {
  maxFailures: env.LOGIN_MAX_FAILURES,
  windowMs: env.LOGIN_LOCK_MINUTES * 60_000,
  lockMs: env.LOGIN_LOCK_MINUTES * 60_000,
};
/** Attempts from one address over all emails (sign-ups included): bounds probing in bulk, with room for a shared NAT. */
export const addressThrottle: ThrottlePolicy = { ...pairThrottle, maxFailures: env.LOGIN_MAX_FAILURES * 4 };

const tooMany = (ms: number) =>
  new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many attempts. Try again in ${Math.ceil(ms / 60_000)} minute(s).` });

export const addressKey = (address: string) => `addr:${address}`;
export const pairKey = (address: string, email: string) => `pair:${address}:${email}`;

/** Reserves an attempt on each key in turn, before any password is checked; the first refusal stops the attempt. */
export async function reserve(db: Executor, keys: [string, ThrottlePolicy][]) {
  const at = now();
  for (const [key, policy] of keys) {
    const reservation = await reserveAttempt(db, key, policy, at);
    if (!reservation.allowed) {
      recordLoginLock();
      throw tooMany(reservation.retryAfterMs);
    }
  }
}
