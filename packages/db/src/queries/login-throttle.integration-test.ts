import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabase } from "../testing/factories";
import { clearLoginFailures, releaseAttempt, reserveAttempt, type ThrottlePolicy } from "./login-throttle";

const { db, close } = testDatabase();
afterAll(close);

const minute = 60_000;
const policy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * minute, lockMs: 15 * minute };
const start = new Date("2030-01-01T00:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);
const key = () => `test:${randomUUID()}`;

describe("reserveAttempt", () => {
  it("lets exactly maxFailures of many concurrent attempts through", async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 12 }, () => reserveAttempt(db, k, policy, start)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.filter((r) => !r.allowed)).toHaveLength(7);
    expect(results.find((r) => !r.allowed)).toMatchObject({ retryAfterMs: 15 * minute });
  });

  it("locks for lockMs, then doubles the lock for each further round", async () => {
    const k = key();
    for (let i = 0; i < 5; i++) expect(await reserveAttempt(db, k, policy, at(i))).toEqual({ allowed: true });
    expect(await reserveAttempt(db, k, policy, at(14 * minute))).toMatchObject({ allowed: false });
    // The first lock ends after 15 minutes; the next round of 5 locks for 30.
    for (let i = 0; i < 5; i++) expect(await reserveAttempt(db, k, policy, at(16 * minute + i))).toEqual({ allowed: true });
    expect(await reserveAttempt(db, k, policy, at(17 * minute))).toEqual({ allowed: false, retryAfterMs: 29 * minute + 4 });
    expect(await reserveAttempt(db, k, policy, at(46 * minute + 5))).toEqual({ allowed: true });
  });

  it("forgets attempts after the window when the key was never locked, and backoff a day after the last lock", async () => {
    const k = key();
    for (let i = 0; i < 4; i++) await reserveAttempt(db, k, policy, at(i));
    // 15 minutes later the window has passed: a fresh count of 5.
    for (let i = 0; i < 5; i++) expect(await reserveAttempt(db, k, policy, at(15 * minute + i))).toEqual({ allowed: true });
    expect(await reserveAttempt(db, k, policy, at(16 * minute))).toMatchObject({ allowed: false, retryAfterMs: 14 * minute + 4 });
    const dayAfter = 15 * minute + 4 + 15 * minute + 24 * 60 * minute;
    for (let i = 0; i < 5; i++) expect(await reserveAttempt(db, k, policy, at(dayAfter + i))).toEqual({ allowed: true });
    // A fresh first lock: 15 minutes again, not 30.
    expect(await reserveAttempt(db, k, policy, at(dayAfter + 10))).toEqual({ allowed: false, retryAfterMs: 15 * minute - 6 });
  });

  it("a released attempt does not count, and clearing forgets the lock", async () => {
    const k = key();
    for (let i = 0; i < 10; i++) {
      expect(await reserveAttempt(db, k, policy, start)).toEqual({ allowed: true });
      await releaseAttempt(db, k);
    }
    for (let i = 0; i < 5; i++) await reserveAttempt(db, k, policy, start);
    expect(await reserveAttempt(db, k, policy, start)).toMatchObject({ allowed: false });
    await clearLoginFailures(db, k);
    expect(await reserveAttempt(db, k, policy, start)).toEqual({ allowed: true });
  });

  it("with maxFailures 1, the first attempt runs and locks", async () => {
    const k = key();
    const one = { ...policy, maxFailures: 1 };
    expect(await reserveAttempt(db, k, one, start)).toEqual({ allowed: true });
    expect(await reserveAttempt(db, k, one, at(minute))).toEqual({ allowed: false, retryAfterMs: 14 * minute });
    expect(await reserveAttempt(db, k, one, at(15 * minute))).toEqual({ allowed: true });
    expect(await reserveAttempt(db, k, one, at(16 * minute))).toEqual({ allowed: false, retryAfterMs: 29 * minute });
  });
});
