import { describe, expect, it } from "vitest";
import { decideAfterCrash, defaultRestartPolicy as policy, noCrashes, type CrashHistory } from "./restart-policy";

const second = 1_000;

/** Crashes a child `count` times, each `runFor` ms after its (re)start; returns the decisions. */
function crashes(count: number, runFor: number, start = 0) {
  let history: CrashHistory = noCrashes(policy);
  let upSince = start;
  const decisions = [];
  for (let i = 0; i < count; i += 1) {
    const now = upSince + runFor;
    const decision = decideAfterCrash(history, now, upSince, policy);
    decisions.push(decision);
    history = decision.history;
    upSince = now + (decision.action === "restart" ? decision.delayMs : 0);
  }
  return decisions;
}

describe("decideAfterCrash", () => {
  it("restarts after 1 s, doubling per crash up to 30 s", () => {
    const quick = (n: number) => crashes(n, 20 * second).map((d) => (d.action === "restart" ? d.delayMs : d.action));
    // 20 s of running between crashes: 4 crashes within 2 minutes restart, the 5th gives up.
    expect(quick(5)).toEqual([1_000, 2_000, 4_000, 8_000, "give-up"]);
    // Spread out enough to stay under 5 per window, the delay keeps doubling and caps at 30 s.
    const spread = crashes(8, 40 * second).map((d) => (d.action === "restart" ? d.delayMs : d.action));
    expect(spread).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts again from 1 s after a stable minute", () => {
    const [first, second_, third] = crashes(3, 5 * second);
    expect(third?.action === "restart" && third.delayMs).toBe(4_000);
    const history = third?.history ?? noCrashes(policy);
    const upSince = 1_000_000;
    const stable = decideAfterCrash(history, upSince + policy.stableAfterMs, upSince, policy);
    expect(stable).toMatchObject({ action: "restart", delayMs: 1_000 });
    expect([first?.action, second_?.action]).toEqual(["restart", "restart"]);
  });

  it("gives up on the 5th crash within 2 minutes, not on 5 spread wider", () => {
    let history = noCrashes(policy);
    for (const t of [0, 10, 20, 30]) history = decideAfterCrash(history, t * second, t * second - 1, policy).history;
    expect(decideAfterCrash(history, 119 * second, 118 * second, policy)).toMatchObject({ action: "give-up", crashesInWindow: 5 });
    // The first crash has left the window by 121 s: four in the window, so one more restart.
    expect(decideAfterCrash(history, 121 * second, 120 * second, policy)).toMatchObject({ action: "restart", crashesInWindow: 4 });
  });
});
