import { describe, expect, it } from "vitest";
import { showCatalogue, topTitles, viewingEvents, viewsPerWindow } from "./viewing-events";

const secrets = ["a", "b", "c", "secret-1", "4f0c2a", "zz"];

describe("viewingEvents", () => {
  it("is the same for the same secret and differs between secrets", () => {
    expect(viewingEvents({ messages: 720 }, "s")).toEqual(viewingEvents({ messages: 720 }, "s"));
    expect(viewingEvents({ messages: 720 }, "s")).not.toEqual(viewingEvents({ messages: 720 }, "t"));
  });

  it("has exactly the messages asked for, in time order, titles from the catalogue", () => {
    for (const secret of secrets) {
      const events = viewingEvents({ messages: 720 }, secret);
      expect(events).toHaveLength(720);
      expect(events.every((e, i) => i === 0 || (events[i - 1]?.ms ?? 0) <= e.ms)).toBe(true);
      expect(events.every((e) => (showCatalogue as readonly string[]).includes(e.title))).toBe(true);
      expect(events[0]?.timestamp).toMatch(/^2016-\d\d-\d\d 08:00:\d\d$/);
    }
  });

  it("gives every whole minute an unambiguous top three of its own, evergreens never in it", () => {
    for (const secret of secrets) {
      const windows = viewsPerWindow(viewingEvents({ messages: 720 }, secret), 60);
      const whole = windows.slice(0, -1);
      expect(whole.length).toBeGreaterThanOrEqual(8);
      for (const [i, window] of whole.entries()) {
        const ranked = topTitles(window.views, 4).map((t) => t.views);
        expect(ranked[0]).toBeGreaterThan(ranked[1] ?? 0);
        expect(ranked[1]).toBeGreaterThan(ranked[2] ?? 0);
        expect(ranked[2]).toBeGreaterThan(ranked[3] ?? 0);
        // Every title is watched every minute, so a count that runs on across minutes is always too big.
        expect(window.views.size).toBe(showCatalogue.length);
        const top = topTitles(window.views, 3).map((t) => t.title);
        expect(top).not.toContain("Kitchen Wars");
        expect(top).not.toContain("The Long Commute");
        // The hits rotate: no title is a hit two minutes running.
        const before = whole[i - 1];
        if (before) expect(topTitles(before.views, 3).some((t) => top.includes(t.title))).toBe(false);
      }
    }
  });

  it("ends each minute at its 59th second, so a 30 s watermark has closed the minute before the last", () => {
    const events = viewingEvents({ messages: 700 }, "x");
    expect(events.at(-1)?.timestamp.endsWith(":59")).toBe(true);
  });
});

describe("topTitles", () => {
  it("ranks by views, most first, ties by title", () => {
    const views = new Map([
      ["B", 3],
      ["A", 3],
      ["C", 9],
      ["D", 1],
    ]);
    expect(topTitles(views, 3)).toEqual([
      { title: "C", views: 9 },
      { title: "A", views: 3 },
      { title: "B", views: 3 },
    ]);
  });
});
