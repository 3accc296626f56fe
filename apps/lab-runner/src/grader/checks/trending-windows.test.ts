import { topTitles, viewingEvents, viewsPerWindow, type TitleViews, type WindowViews } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import type { TopicMessage } from "../kafka-connection";
import { parseRecord, seededRecordMessages, seededViewingEvents } from "../seeded-records";
import {
  buildLiveProbe,
  closedWindows,
  evaluateLiveTopN,
  evaluateTrendingHistory,
  latestTopPerWindow,
  parseTrendingMessage,
  windowProblem,
} from "./trending-windows";

const at = (text: string) => Date.parse(`${text}Z`);
const w0 = at("2016-05-07T08:00:00");

let offset = 0;
const message = (value: unknown, partition = 0, timestamp = offset): TopicMessage => ({
  partition,
  offset: String(offset++),
  value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
  timestamp: String(timestamp),
});

const window: WindowViews = {
  startMs: w0,
  views: new Map([
    ["Crown of Ashes", 14],
    ["Quantum Heist", 11],
    ["Glass Houses", 9],
    ["Kitchen Wars", 7],
    ["The Long Commute", 2],
  ]),
};
const top3 = topTitles(window.views, 3);

describe("parseTrendingMessage", () => {
  it("reads a window's whole list, a rank row, Spark's window struct and count for views", () => {
    expect(parseTrendingMessage(JSON.stringify({ window_start: "2016-05-07 08:00:00", top: top3 }))).toEqual({ windowStartMs: w0, top: top3 });
    expect(
      parseTrendingMessage(JSON.stringify({ window: { start: "2016-05-07T08:00:00.000Z", end: "x" }, rank: 2, title: "Quantum Heist", count: 11 })),
    ).toEqual({ windowStartMs: w0, rank: 2, entry: { title: "Quantum Heist", views: 11 } });
    expect(parseTrendingMessage(JSON.stringify({ windowStart: w0, top: [{ title: "A", views: "3" }] }))).toEqual({
      windowStartMs: w0,
      top: [{ title: "A", views: 3 }],
    });
  });

  it("refuses what is no window's top", () => {
    for (const text of [
      "not json",
      "[]",
      '{"top":[]}',
      '{"window_start":"x","top":[]}',
      '{"window_start":"2016-05-07 08:00:00","top":[{"title":"A"}]}',
    ]) {
      expect(parseTrendingMessage(text)).toBeUndefined();
    }
  });
});

describe("latestTopPerWindow", () => {
  it("keeps each window's latest list, by write time across partitions, and fills ranks one by one", () => {
    const w1 = w0 + 60_000;
    const output = latestTopPerWindow([
      message({ window_start: w0, top: [{ title: "Crown of Ashes", views: 14 }] }, 1, 500),
      message({ window_start: w0, top: [{ title: "Crown of Ashes", views: 3 }] }, 0, 100),
      message({ window_start: w1, rank: 2, title: "B", views: 2 }, 0, 200),
      message({ window_start: w1, rank: 1, title: "A", views: 5 }, 0, 300),
      message("garbage", 0, 400),
    ]);
    expect(output.windows.get(w0)).toEqual([{ title: "Crown of Ashes", views: 14 }]);
    expect(output.windows.get(w1)).toEqual([
      { title: "A", views: 5 },
      { title: "B", views: 2 },
    ]);
    expect(output.unreadable).toHaveLength(1);
  });
});

describe("windowProblem", () => {
  const problem = (written: (TitleViews | undefined)[] | undefined) => windowProblem(window, written, 3)?.finding;

  it("passes the window's own top three, most viewed first, and ignores ranks past the third", () => {
    expect(problem(top3)).toBeUndefined();
    expect(problem([...top3, { title: "Kitchen Wars", views: 7 }])).toBeUndefined();
  });

  it("names counts that run on across windows, and views left out", () => {
    expect(windowProblem(window, [{ title: "Kitchen Wars", views: 70 }, ...top3.slice(1)], 3)?.detail).toContain("over all time");
    expect(windowProblem(window, [{ title: "Crown of Ashes", views: 12 }, ...top3.slice(1)], 3)?.detail).toContain(
      "some of its views were not counted",
    );
  });

  it("names a ranking that is not by views, most first", () => {
    expect(problem([...top3].reverse())).toBe("wrong-order");
    // Sorted by title instead of views: right counts, wrong order.
    expect(
      problem(
        [...window.views]
          .map(([title, views]) => ({ title, views }))
          .sort((a, b) => b.title.localeCompare(a.title))
          .slice(0, 3),
      ),
    ).toBe("wrong-order");
  });

  it("names a title missing from the top, too short a list, and a window nobody wrote", () => {
    expect(
      problem([
        { title: "Crown of Ashes", views: 14 },
        { title: "Quantum Heist", views: 11 },
        { title: "Kitchen Wars", views: 7 },
      ]),
    ).toBe("missing-title");
    expect(problem(top3.slice(0, 2))).toBe("too-few");
    expect(problem([top3[0], undefined, top3[2]])).toBe("too-few");
    expect(problem(undefined)).toBe("window-missing");
  });
});

describe("evaluateTrendingHistory", () => {
  const events = viewingEvents({ messages: 720 }, "secret");
  const latest = Math.max(...events.map((e) => e.ms));
  const windows = closedWindows(viewsPerWindow(events, 60), latest, 60, 30);
  const judge = (messages: TopicMessage[]) =>
    evaluateTrendingHistory({ topic: "trending-now", from: "viewing-events", top: 3, windows, output: latestTopPerWindow(messages) });
  const right = windows.map((w) => message({ window_start: w.startMs, top: topTitles(w.views, 3) }));

  it("judges every window but the last, which a 30 s watermark has not closed", () => {
    expect(windows.length).toBe(viewsPerWindow(events, 60).length - 1);
  });

  it("passes the right top three of every closed window", () => {
    expect(judge(right).passed).toBe(true);
  });

  it("fails counts over all time (a running total stamped with each window)", () => {
    const total = new Map<string, number>();
    const cumulative = windows.map((w) => {
      for (const [title, n] of w.views) total.set(title, (total.get(title) ?? 0) + n);
      return message({ window_start: w.startMs, top: topTitles(total, 3) });
    });
    expect(judge(cumulative)).toMatchObject({ passed: false, finding: "wrong-count" });
  });

  it("fails a job that started at the end of the topic, or windows by processing time", () => {
    const now = at("2026-12-03T05:40:00");
    const verdict = judge([message({ window_start: now, top: [{ title: "Crown of Ashes", views: 700 }] })]);
    expect(verdict).toMatchObject({ passed: false, finding: "windows-missing" });
    expect(verdict.detail).toContain("2026-12-03 05:40:00");
    expect(verdict.detail).toContain("event time");
    expect(judge(right.slice(1))).toMatchObject({ passed: false, finding: "window-missing" });
    expect(judge([message("plain text")])).toMatchObject({ passed: false, finding: "unreadable" });
  });
});

describe("live probe", () => {
  const windowStartMs = at("2026-12-03T05:41:00");
  const probe = buildLiveProbe({ nonce: "1a2b3c4d", windowStartMs, windowSeconds: 60, maxDelaySeconds: 30, country: "de" });
  const judgement = { topic: "trending-now", input: "viewing-events", top: 3, withinSeconds: 60 };
  const expected = topTitles(probe.window.views, 3);

  it("puts a burst of a new title first, three catalogue titles of distinct smaller counts after it, all in one window", () => {
    expect(expected[0]?.title).toBe("Probe 1a2b3c4d: The Series");
    const counts = [...probe.window.views.values()].sort((a, b) => b - a);
    expect(new Set(counts).size).toBe(4);
    const records = probe.records.map((r) => JSON.parse(r) as { title: string; timestamp: string; country: string });
    const inWindow = records.slice(0, -1);
    expect(inWindow).toHaveLength(counts.reduce((a, b) => a + b, 0));
    expect(
      inWindow.every((r) => at(r.timestamp.replace(" ", "T")) >= windowStartMs && at(r.timestamp.replace(" ", "T")) < windowStartMs + 60_000),
    ).toBe(true);
    expect(records.at(-1)?.timestamp).toBe("2026-12-03 05:42:35");
    expect(records.every((r) => r.country === "de")).toBe(true);
  });

  it("passes when the window's latest top is the burst and the next two, with their counts", () => {
    // What an updating job writes while the burst is still arriving.
    const partial = message({ window_start: windowStartMs, top: [{ title: probe.burstTitle, views: 2 }, ...expected.slice(1)] }, 0, 1);
    const full = message({ window_start: windowStartMs, top: expected }, 0, 2);
    expect(evaluateLiveTopN(probe, judgement, [partial, full]).passed).toBe(true);
    expect(evaluateLiveTopN(probe, judgement, [partial])).toMatchObject({ passed: false, finding: "wrong-count" });
  });

  it("says a job that wrote nothing new is not running", () => {
    const verdict = evaluateLiveTopN(probe, judgement, []);
    expect(verdict).toMatchObject({ passed: false, finding: "no-new-output" });
    expect(verdict.detail).toContain("still running");
  });

  it("says a job that windows by arrival time has no message about the probe's window", () => {
    const now = at("2026-12-03T05:40:00");
    const verdict = evaluateLiveTopN(probe, judgement, [message({ window_start: now, top: expected })]);
    expect(verdict).toMatchObject({ passed: false, finding: "window-missing" });
    expect(verdict.detail).toContain("event time");
  });

  it("fails a top over all time and a ranking that is not by views", () => {
    const allTime = [
      { title: "Kitchen Wars", views: 80 },
      { title: "Crown of Ashes", views: 61 },
      { title: "Quantum Heist", views: 55 },
    ];
    const verdict = evaluateLiveTopN(probe, judgement, [message({ window_start: windowStartMs, top: allTime })]);
    expect(verdict).toMatchObject({ passed: false });
    expect(verdict.detail).toContain("The burst is not first");
    expect(evaluateLiveTopN(probe, judgement, [message({ window_start: windowStartMs, top: [...expected].reverse() })])).toMatchObject({
      passed: false,
      finding: "wrong-order",
    });
  });
});

describe("buildLiveProbe", () => {
  it("never ranks the window's titles in alphabetical order, either way, so sorting by title fails", () => {
    for (let i = 0; i < 200; i++) {
      const probe = buildLiveProbe({ nonce: `n${i}`, windowStartMs: 0, windowSeconds: 60, maxDelaySeconds: 30, country: "de" });
      const ranked = topTitles(probe.window.views, 4).map((t) => t.title);
      const sorted = [...ranked].sort();
      expect(ranked).not.toEqual(sorted);
      expect(ranked).not.toEqual([...sorted].reverse());
    }
  });
});

describe("seeded viewing events", () => {
  const seeded = { topic: "viewing-events", partitions: 3, sensor: "de", messages: 720, record: "viewing-event" as const };

  it("publishes the play events the grader counts, round robin over the partitions, each a record of its kind", () => {
    const messages = seededRecordMessages(seeded, "seed-1");
    const events = seededViewingEvents(seeded, "seed-1");
    expect(messages).toHaveLength(720);
    expect(messages.map((m) => m.partition).slice(0, 4)).toEqual([0, 1, 2, 0]);
    expect(JSON.parse(messages[5]?.value ?? "")).toEqual({
      country: "de",
      user: events[5]?.user,
      title: events[5]?.title,
      timestamp: events[5]?.timestamp,
    });
    expect(messages.every((m) => parseRecord("viewing-event", m.value)?.fingerprint === m.fingerprint)).toBe(true);
    expect(seededViewingEvents(seeded, "seed-2")).not.toEqual(events);
  });
});
