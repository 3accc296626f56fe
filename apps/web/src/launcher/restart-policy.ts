/** When the launcher restarts a crashed child, and when it gives up. */
export interface RestartPolicy {
  /** Delay before the first restart; each further crash doubles it... */
  initialDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** A child that ran this long before crashing starts again from `initialDelayMs`. */
  stableAfterMs: number;
  /** This many crashes within `crashWindowMs` stop the platform: something is wrong that a restart will not fix. */
  maxCrashes: number;
  crashWindowMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  crashWindowMs: 120_000,
};

/** What the launcher remembers of one child's crashes. */
export interface CrashHistory {
  /** When recent crashes happened (ms since epoch, from the launcher's clock). */
  crashTimes: number[];
  /** The delay the next restart waits unless the child has been stable since. */
  nextDelayMs: number;
}

export const noCrashes = (policy: RestartPolicy): CrashHistory => ({ crashTimes: [], nextDelayMs: policy.initialDelayMs });

export type CrashDecision =
  | { action: "restart"; delayMs: number; crashesInWindow: number; history: CrashHistory }
  | { action: "give-up"; crashesInWindow: number; history: CrashHistory };

/**
 * The decision after a child crashed at `now`, having run since `upSince`. Pure: the clock is the
 * caller's, so the policy is tested without waiting.
 */
export function decideAfterCrash(history: CrashHistory, now: number, upSince: number, policy: RestartPolicy): CrashDecision {
  const crashTimes = [...history.crashTimes.filter((t) => now - t < policy.crashWindowMs), now];
  if (crashTimes.length >= policy.maxCrashes) {
    return { action: "give-up", crashesInWindow: crashTimes.length, history: { crashTimes, nextDelayMs: history.nextDelayMs } };
  }
  const delayMs = now - upSince >= policy.stableAfterMs ? policy.initialDelayMs : history.nextDelayMs;
  return {
    action: "restart",
    delayMs,
    crashesInWindow: crashTimes.length,
    history: { crashTimes, nextDelayMs: Math.min(delayMs * 2, policy.maxDelayMs) },
  };
}
