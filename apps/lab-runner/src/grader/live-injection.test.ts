import { describe, expect, it } from "vitest";
import { failed, passed } from "./checks/verdict";
import { formatEventTime, latestEventTime, liveWindowStart, observeUntil, parseInstant, windowBounds } from "./live-injection";

const at = (text: string) => Date.parse(`${text}Z`);

describe("parseInstant", () => {
  it("reads wall-clock times, ISO 8601 and epoch numbers as the same instant", () => {
    const ms = at("2026-12-03T05:40:00");
    expect(parseInstant("2026-12-03 05:40:00")).toBe(ms);
    expect(parseInstant("2026-12-03T05:40:00.000Z")).toBe(ms);
    expect(parseInstant("2026-12-03T05:40:00.000+00:00")).toBe(ms);
    expect(parseInstant("2026-12-03 05:40")).toBe(ms);
    expect(parseInstant(ms)).toBe(ms);
    expect(parseInstant(ms / 1000)).toBe(ms);
    expect(parseInstant(String(ms))).toBe(ms);
  });

  it("refuses what is not an instant", () => {
    for (const value of ["", "yesterday", "05:40", null, undefined, {}, Number.NaN]) expect(parseInstant(value)).toBeUndefined();
  });

  it("writes event time as the datasets do", () => {
    expect(formatEventTime(at("2026-12-03T05:04:09"))).toBe("2026-12-03 05:04:09");
  });
});

describe("liveWindowStart", () => {
  const now = at("2026-12-03T05:40:20");

  it("is the next whole window after now", () => {
    expect(liveWindowStart(now, undefined, 60)).toBe(at("2026-12-03T05:41:00"));
    expect(liveWindowStart(at("2026-12-03T05:41:00"), undefined, 60)).toBe(at("2026-12-03T05:42:00"));
  });

  it("moves past the latest event already in the topic, so an earlier probe's watermark cannot drop the records", () => {
    const latest = latestEventTime(['{"timestamp":"2026-12-03 05:43:59"}', "not json", '{"timestamp":"2016-05-01 00:00:00"}', '{"other":1}']);
    expect(latest).toBe(at("2026-12-03T05:43:59"));
    expect(liveWindowStart(now, latest, 60)).toBe(at("2026-12-03T05:44:00"));
    expect(liveWindowStart(now, at("2016-05-01T00:00:00"), 60)).toBe(at("2026-12-03T05:41:00"));
  });
});

describe("observeUntil", () => {
  const signal = new AbortController().signal;

  it("looks again until a look passes", async () => {
    let looks = 0;
    let clock = 0;
    const verdict = await observeUntil(async () => (++looks === 3 ? passed("seen") : failed("not-yet", "nothing yet")), {
      withinMs: 10_000,
      now: () => clock,
      signal,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(verdict).toEqual(passed("seen"));
    expect(looks).toBe(3);
    expect(clock).toBe(2000);
  });

  it("returns the last look's finding once the time is up, without sleeping past the deadline", async () => {
    let clock = 0;
    const slept: number[] = [];
    const verdict = await observeUntil(async () => failed("missing", `nothing at ${clock}`), {
      withinMs: 2500,
      now: () => clock,
      signal,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(verdict).toEqual(failed("missing", "nothing at 2500"));
    expect(slept).toEqual([1000, 1000, 500]);
  });

  it("stops looking when the check is aborted", async () => {
    const controller = new AbortController();
    let looks = 0;
    const verdict = await observeUntil(
      async () => {
        looks++;
        controller.abort();
        return failed("missing", "nothing");
      },
      { withinMs: 60_000, now: () => 0, signal: controller.signal, sleep: async () => undefined },
    );
    expect(verdict.passed).toBe(false);
    expect(looks).toBe(1);
  });
});

describe("windowBounds", () => {
  it("reads Spark's nested window and the flat names hand-written jobs use", () => {
    const start = at("2026-12-03T05:41:00");
    const end = at("2026-12-03T05:42:00");
    expect(windowBounds({ window: { start: "2026-12-03T05:41:00.000Z", end: "2026-12-03T05:42:00.000Z" }, sensor: "a" })).toEqual({
      startMs: start,
      endMs: end,
    });
    expect(windowBounds({ window_start: "2026-12-03 05:41:00", window_end: "2026-12-03 05:42:00" })).toEqual({ startMs: start, endMs: end });
    expect(windowBounds({ windowStart: start })).toEqual({ startMs: start, endMs: undefined });
    expect(windowBounds({ start: start / 1000, end: end / 1000 })).toEqual({ startMs: start, endMs: end });
  });

  it("is undefined where the record names no window", () => {
    expect(windowBounds({ sensor: "a", average: 21.5 })).toEqual({ startMs: undefined, endMs: undefined });
    expect(windowBounds({ window: "soon", start: "later" })).toEqual({ startMs: undefined, endMs: undefined });
  });
});
