import type { SensorReading } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { formatEventTime } from "../live-injection";
import {
  averagesPerWindow,
  evaluateLiveWindowAverage,
  evaluateWindowAverages,
  liveProbe,
  probeAverage,
  probeMessages,
  readWindowAverage,
  type LiveProbe,
  type OutputMessage,
} from "./window-averages";

const at = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);
const spec = { topic: "sensor-averages", windowSeconds: 60, maxDelaySeconds: 120, tolerance: 0.01 };
const messagesOf = (records: readonly unknown[]): OutputMessage[] =>
  records.map((r, i) => ({ text: typeof r === "string" ? r : JSON.stringify(r), where: `partition 0, offset ${i}` }));

/** As Spark's to_json(struct(window, sensor, average)) writes a window. */
const sparkWindow = (start: string, sensor: string, average: number, seconds = 60) => ({
  window: { start: `${start.replace(" ", "T")}.000Z`, end: `${formatEventTime(at(start) + seconds * 1000).replace(" ", "T")}.000Z` },
  sensor,
  average,
});

describe("readWindowAverage", () => {
  it("reads Spark's nested window and flat names with avg or value", () => {
    const [spark, flat, unaliased] = messagesOf([
      sparkWindow("2016-05-01 00:01:00", "hall-a", 21.5),
      { window_start: "2016-05-01 00:01:00", sensor: "hall-a", avg: 21.5 },
      { start: at("2016-05-01 00:01:00"), sensor: "hall-a", "avg(value)": 21.5 },
    ]).map((m) => readWindowAverage(m));
    expect(spark).toMatchObject({ sensor: "hall-a", startMs: at("2016-05-01 00:01:00"), endMs: at("2016-05-01 00:02:00"), average: 21.5 });
    expect(flat).toMatchObject({ sensor: "hall-a", startMs: at("2016-05-01 00:01:00"), endMs: undefined, average: 21.5 });
    expect(unaliased).toMatchObject({ startMs: at("2016-05-01 00:01:00"), average: 21.5 });
  });

  it("leaves out what is missing, and is undefined for what is not a JSON object", () => {
    const [text, array, strings] = messagesOf(["21.5", "[1,2]", { sensor: 7, average: "21.5" }]).map((m) => readWindowAverage(m));
    expect(text).toBeUndefined();
    expect(array).toBeUndefined();
    expect(strings).toMatchObject({ sensor: undefined, startMs: undefined, average: undefined });
  });
});

describe("averagesPerWindow", () => {
  it("puts a reading at a window's first second in it and one at its end in the next", () => {
    const windows = averagesPerWindow(
      [
        { ms: at("2016-05-01 00:01:00"), centi: 2000 },
        { ms: at("2016-05-01 00:01:59"), centi: 2100 },
        { ms: at("2016-05-01 00:02:00"), centi: 3000 },
      ],
      60,
    );
    expect(windows).toEqual([
      { startMs: at("2016-05-01 00:01:00"), count: 2, average: 20.5 },
      { startMs: at("2016-05-01 00:02:00"), count: 1, average: 30 },
    ]);
  });
});

/** Three minutes of readings, three a minute, the last at 00:03:40. */
const readings: SensorReading[] = [
  ["2016-05-01 00:00:05", 2000],
  ["2016-05-01 00:00:25", 2010],
  ["2016-05-01 00:00:45", 2020],
  ["2016-05-01 00:01:05", 2100],
  ["2016-05-01 00:01:25", 2110],
  ["2016-05-01 00:01:45", 2120],
  ["2016-05-01 00:02:05", 2200],
  ["2016-05-01 00:02:25", 2210],
  ["2016-05-01 00:03:40", 2300],
].map(([timestamp, centi]) => ({ timestamp: timestamp as string, centi: centi as number }));

const allWindows = [
  sparkWindow("2016-05-01 00:00:00", "hall-a", 20.1),
  sparkWindow("2016-05-01 00:01:00", "hall-a", 21.1),
  sparkWindow("2016-05-01 00:02:00", "hall-a", 22.05),
  sparkWindow("2016-05-01 00:03:00", "hall-a", 23),
];

describe("evaluateWindowAverages", () => {
  const judge = (records: readonly unknown[]) => evaluateWindowAverages(spec, "hall-a", readings, messagesOf(records));

  it("passes with every window's average, among other sensors' and windows' messages", () => {
    const verdict = judge([...allWindows, sparkWindow("2026-12-03 05:41:00", "probe-1a2b", 30), "not json"]);
    expect(verdict).toMatchObject({
      passed: true,
      detail: "Topic sensor-averages holds the averages of 4 of the 4 one-minute windows of your readings.",
    });
  });

  it("passes without the windows a watermark of at most maxDelaySeconds keeps open (output mode append)", () => {
    // The last reading is at 00:03:40: windows ending after 00:01:40 may still be open.
    const verdict = judge(allWindows.slice(0, 1));
    expect(verdict.passed).toBe(true);
    expect(verdict.detail).toContain("1 of the 4 one-minute windows of your readings; the last 3 are still open");
  });

  it("passes when a window was written more than once (output mode update), one of them with its whole average", () => {
    expect(judge([sparkWindow("2016-05-01 00:00:00", "hall-a", 20), ...allWindows]).passed).toBe(true);
  });

  it("fails on a closed window that is missing", () => {
    expect(judge(allWindows.slice(1))).toMatchObject({
      passed: false,
      finding: "missing-windows",
      detail: expect.stringContaining(
        "0 of the 1 one-minute windows of your readings that end at least 120 s before your last reading; 1 window is missing, e.g. the one starting 2016-05-01 00:00:00",
      ),
    });
  });

  it("fails on a wrong average and names the right one", () => {
    const verdict = judge([sparkWindow("2016-05-01 00:00:00", "hall-a", 20.2), ...allWindows.slice(1)]);
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-averages" });
    expect(verdict.detail).toContain(
      "For the window starting 2016-05-01 00:00:00 your job wrote 20.20; the average of your 3 readings in it is 20.10.",
    );
  });

  it("names processing-time windows as not windows of the readings", () => {
    const verdict = judge([sparkWindow("2026-12-03 05:40:00", "hall-a", 21.2)]);
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-windows" });
    expect(verdict.detail).toContain(
      "1 window starting 2026-12-03 05:40:00, which hold none of your readings (they run from 2016-05-01 00:00:05 to 2016-05-01 00:03:40)",
    );
  });

  it("names averages without a window", () => {
    expect(judge([{ sensor: "hall-a", average: 21.2 }])).toMatchObject({ passed: false, finding: "no-window" });
  });

  it("names windows of another length", () => {
    const verdict = judge([sparkWindow("2016-05-01 00:00:00", "hall-a", 20.6, 120)]);
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-window-length" });
    expect(verdict.detail).toContain("120 s long; this step asks for 60-second windows");
  });

  it("says which sensors it found when none is the learner's", () => {
    const verdict = judge([sparkWindow("2026-12-03 05:41:00", "probe-1a2b", 30), { window_start: "2016-05-01 00:00:00", average: 20.1 }]);
    expect(verdict).toMatchObject({ passed: false, finding: "no-averages" });
    expect(verdict.detail).toContain("none of them an average of sensor hall-a");
    expect(verdict.detail).toContain("1 other sensor: probe-1a2b");
    expect(verdict.detail).toContain('1 message names no "sensor"');
  });

  it("fails on an empty topic and on one of no JSON", () => {
    expect(judge([])).toMatchObject({ passed: false, finding: "no-messages" });
    expect(judge(["2016-05-01 00:00,20.1"])).toMatchObject({ passed: false, finding: "not-json" });
  });
});

describe("liveProbe", () => {
  const windowStartMs = at("2026-12-03 05:42:00");
  let draws = 0;
  // A deterministic "random" source that repeats values, to show the probe's come out distinct anyway.
  const offsets = [0, 0, 100, 100, 200, 300, 400, 500];
  const repeating = (min: number, max: number) => Math.min(max - 1, min + (offsets[draws++ % offsets.length] ?? 0));
  const probe = liveProbe("1a2b3c4d", windowStartMs, spec, repeating);

  it("puts distinct readings from the window's first to its last second, one in the next window and one past the watermark", () => {
    expect(probe.sensor).toBe("probe-1a2b3c4d");
    expect(new Set(probe.inWindow.map((r) => r.centi)).size).toBe(probe.inWindow.length);
    expect(probe.inWindow[0]?.ms).toBe(windowStartMs);
    expect(probe.inWindow.at(-1)?.ms).toBe(windowStartMs + 59_000);
    const [next, mover] = probe.later;
    expect(next?.ms).toBe(windowStartMs + 90_000);
    // The watermark (latest event minus at most 120 s) passes the window's end.
    expect((mover?.ms ?? 0) - 120_000).toBeGreaterThanOrEqual(windowStartMs + 60_000);
    for (const r of probe.later) expect(Math.abs(r.centi / 100 - probeAverage(probe))).toBeGreaterThanOrEqual(5);
  });

  it("publishes readings shaped like the learner's, keyed by the probe sensor", () => {
    const [first] = probeMessages(probe);
    expect(first?.key).toBe("probe-1a2b3c4d");
    expect(JSON.parse(first?.value ?? "")).toEqual({
      sensor: "probe-1a2b3c4d",
      timestamp: "2026-12-03 05:42:00",
      value: (probe.inWindow[0]?.centi ?? 0) / 100,
    });
  });
});

describe("evaluateLiveWindowAverage", () => {
  const probe: LiveProbe = {
    sensor: "probe-1a2b",
    windowStartMs: at("2026-12-03 05:42:00"),
    inWindow: [2000, 2100, 2200, 2300, 2400, 2500].map((centi, i) => ({ ms: at("2026-12-03 05:42:00") + i * 11_000, centi })),
    later: [
      { ms: at("2026-12-03 05:43:30"), centi: 1100 },
      { ms: at("2026-12-03 05:46:00"), centi: 1100 },
    ],
  };
  const live = { ...spec, input: "sensor-readings", withinSeconds: 90 };
  const judge = (records: readonly unknown[]) => evaluateLiveWindowAverage(probe, messagesOf(records), live, 7.4);

  it("passes when some message gives the probe's window its average", () => {
    const verdict = judge([sparkWindow("2016-05-01 23:58:00", "hall-a", 20), sparkWindow("2026-12-03 05:42:00", "probe-1a2b", 22.5)]);
    expect(verdict).toMatchObject({ passed: true });
    expect(verdict.detail).toContain("Your job wrote 22.50 for sensor probe-1a2b in the window starting 2026-12-03 05:42:00");
    expect(verdict.detail).toContain("7 s after the grader published 8 readings");
  });

  it("passes on a partial update followed by the whole window (output mode update)", () => {
    const partial = { window_start: "2026-12-03 05:42:00", sensor: "probe-1a2b", average: 20 };
    expect(judge([partial, { ...partial, average: 22.5 }]).passed).toBe(true);
  });

  it("says the job is not running when nothing new arrives", () => {
    const verdict = judge([]);
    expect(verdict).toMatchObject({ passed: false, finding: "no-new-output" });
    expect(verdict.detail).toContain(
      "No new message in topic sensor-averages within 90 s after the grader published 8 readings of sensor probe-1a2b",
    );
    expect(verdict.detail).toContain("is your streaming job still running?");
  });

  it("names a window of processing time", () => {
    const verdict = judge([sparkWindow("2026-12-03 05:40:00", "probe-1a2b", 19.71)]);
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-window" });
    expect(verdict.detail).toContain("windows starting 2026-12-03 05:40:00, but not for the window from 2026-12-03 05:42:00 to 2026-12-03 05:43:00");
    expect(verdict.detail).toContain("event time");
  });

  it("names an average over all time, without a window", () => {
    expect(judge([{ sensor: "probe-1a2b", average: 19.625 }])).toMatchObject({ passed: false, finding: "no-window" });
  });

  it("names a wrong average with the readings it should have averaged", () => {
    const verdict = judge([sparkWindow("2026-12-03 05:42:00", "probe-1a2b", 20.86)]);
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-average" });
    expect(verdict.detail).toContain("your job wrote 20.86; the grader's 6 readings in it (20.00, 21.00, 22.00, 23.00, 24.00, 25.00) average 22.50");
  });

  it("names new output without the probe sensor", () => {
    const verdict = judge([{ window_start: "2026-12-03 05:42:00", average: 22.5 }]);
    expect(verdict).toMatchObject({ passed: false, finding: "probe-missing" });
    expect(verdict.detail).toContain('Does your job keep the "sensor" of every reading it averages?');
  });
});
