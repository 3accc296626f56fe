import { describe, expect, test } from "vitest";
import { computeSchedule, type ItemDates, overrideFromDates, type ScheduleItem, scheduleItems } from "./compute-schedule";
import { type ItemOverride, itemOverrideSchema, type PacingRule, weekdays } from "./pacing-rule";
import { addDays, daysBetween, toLocalParts, weekdayOf } from "./zoned-time";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";

const rule = (overrides: Partial<PacingRule> = {}): PacingRule => ({
  mode: "fixed",
  chaptersPerWeek: 1,
  weekday: "mon",
  time: "09:00",
  dueAfterDays: 7,
  skipWeekends: false,
  blackouts: [],
  ...overrides,
});

const chapter = (n: number): ScheduleItem => ({ key: `chapter:${n}`, kind: "chapter", chapterNumber: n, title: `Chapter ${n}` });
const lab = (slug: string, chapterNumber: number): ScheduleItem => ({ key: `lab:${slug}`, kind: "lab", chapterNumber, title: slug });
const chapters = (count: number) => Array.from({ length: count }, (_, i) => chapter(i + 1));

function schedule(input: { rule?: Partial<PacingRule>; items?: ScheduleItem[]; anchorDate: string; timeZone?: string; overrides?: ItemOverride[] }) {
  return computeSchedule({
    rule: rule(input.rule),
    items: input.items ?? chapters(3),
    anchorDate: input.anchorDate,
    timeZone: input.timeZone ?? BERLIN,
    overrides: input.overrides ?? [],
  });
}

/** Each item's opening and due as "YYYY-MM-DD HH:MM" on the zone's clocks. */
const local = (dates: ItemDates[], tz = BERLIN) =>
  dates.map((d) => {
    const opens = toLocalParts(d.opensAt, tz);
    const due = toLocalParts(d.dueAt, tz);
    return [`${opens.date} ${opens.time}`, `${due.date} ${due.time}`];
  });
const openingDates = (dates: ItemDates[], tz = BERLIN) => dates.map((d) => toLocalParts(d.opensAt, tz).date);
const dueDates = (dates: ItemDates[], tz = BERLIN) => dates.map((d) => toLocalParts(d.dueAt, tz).date);

describe("scheduleItems", () => {
  const outline = [
    {
      number: 1,
      title: "Basics",
      lessons: [
        { key: "1.1", outline: false },
        { key: "1.2", outline: false },
      ],
    },
    { number: 2, title: "Planned", lessons: [{ key: "2.1", outline: true }] },
    {
      number: 3,
      title: "Sauces",
      lessons: [
        { key: "3.1", outline: true },
        { key: "3.2", outline: false },
        { key: "3.3", outline: false },
      ],
    },
    {
      number: 4,
      title: "Later",
      lessons: [
        { key: "4.1", outline: true },
        { key: "4.2", outline: true },
      ],
    },
  ];

  test("skips chapters whose lessons are all outline-only and puts each lab right after its chapter in lesson order", () => {
    const labs = [
      { slug: "roux", title: "Make a roux", lessonKey: "3.3" },
      { slug: "knife", title: "Knife skills", lessonKey: "1.1" },
      { slug: "stock", title: "Stock", lessonKey: "3.2" },
      { slug: "gone", title: "Not in this version", lessonKey: "9.1" },
    ];
    expect(scheduleItems(outline, labs)).toEqual([
      { key: "chapter:1", kind: "chapter", chapterNumber: 1, title: "Basics" },
      { key: "lab:knife", kind: "lab", chapterNumber: 1, title: "Knife skills" },
      { key: "chapter:3", kind: "chapter", chapterNumber: 3, title: "Sauces" },
      { key: "lab:stock", kind: "lab", chapterNumber: 3, title: "Stock" },
      { key: "lab:roux", kind: "lab", chapterNumber: 3, title: "Make a roux" },
    ]);
  });

  test("every lab of a lesson is an item, in the order the labs are given", () => {
    const labs = [
      { slug: "stock-second", title: "Stock, second", lessonKey: "3.2" },
      { slug: "roux", title: "Make a roux", lessonKey: "3.3" },
      { slug: "stock-first", title: "Stock, first", lessonKey: "3.2" },
    ];
    expect(scheduleItems(outline, labs).map((i) => [i.key, i.chapterNumber])).toEqual([
      ["chapter:1", 1],
      ["chapter:3", 3],
      ["lab:stock-second", 3],
      ["lab:stock-first", 3],
      ["lab:roux", 3],
    ]);
  });

  test("a lab in an outline-only chapter is still an item, in that chapter's place", () => {
    const items = scheduleItems(outline, [{ slug: "plan", title: "Plan", lessonKey: "2.1" }]);
    expect(items.map((i) => i.key)).toEqual(["chapter:1", "lab:plan", "chapter:3"]);
    expect(items[1]?.chapterNumber).toBe(2);
  });

  test("no chapters with text and no labs: no items", () => {
    expect(scheduleItems([outline[3] as (typeof outline)[number]], [])).toEqual([]);
  });
});

describe("computeSchedule: weekly slots", () => {
  test("Berlin across 2026-03-29: 09:00 stays 09:00 local while the UTC offset changes", () => {
    const dates = schedule({ anchorDate: "2026-03-16" });
    expect(dates.map((d) => [d.opensAt.toISOString(), d.dueAt.toISOString()])).toEqual([
      ["2026-03-16T08:00:00.000Z", "2026-03-23T08:00:00.000Z"],
      ["2026-03-23T08:00:00.000Z", "2026-03-30T07:00:00.000Z"],
      ["2026-03-30T07:00:00.000Z", "2026-04-06T07:00:00.000Z"],
    ]);
    expect(dates.every((d) => !d.overridden)).toBe(true);
  });

  test("Berlin across 2026-10-25", () => {
    const dates = schedule({ anchorDate: "2026-10-19", items: chapters(2) });
    expect(dates.map((d) => d.opensAt.toISOString())).toEqual(["2026-10-19T07:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    expect(local(dates)).toEqual([
      ["2026-10-19 09:00", "2026-10-26 09:00"],
      ["2026-10-26 09:00", "2026-11-02 09:00"],
    ]);
  });

  test("New York across 2026-03-08 and 2026-11-01", () => {
    const spring = schedule({ anchorDate: "2026-03-02", items: chapters(2), timeZone: NEW_YORK });
    expect(spring.map((d) => d.opensAt.toISOString())).toEqual(["2026-03-02T14:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
    const autumn = schedule({ anchorDate: "2026-10-26", items: chapters(2), timeZone: NEW_YORK });
    expect(autumn.map((d) => d.opensAt.toISOString())).toEqual(["2026-10-26T13:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
    expect(local(autumn, NEW_YORK)[0]).toEqual(["2026-10-26 09:00", "2026-11-02 09:00"]);
  });

  test("an opening time that falls into the spring gap opens just after it", () => {
    const dates = schedule({ anchorDate: "2026-03-22", rule: { weekday: "sun", time: "02:30" } });
    expect(local(dates).map(([opens]) => opens)).toEqual(["2026-03-22 02:30", "2026-03-29 03:30", "2026-04-05 02:30"]);
  });

  test("an anchor on the weekday opens that day; the day after waits for next week", () => {
    expect(openingDates(schedule({ anchorDate: "2026-12-07", items: chapters(1) }))).toEqual(["2026-12-07"]);
    expect(openingDates(schedule({ anchorDate: "2026-12-08", items: chapters(1) }))).toEqual(["2026-12-14"]);
    expect(openingDates(schedule({ anchorDate: "2026-12-03", items: chapters(1), rule: { weekday: "thu" } }))).toEqual(["2026-12-03"]);
  });

  test("chaptersPerWeek > 1 opens that many chapters on each slot", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items: chapters(5), rule: { chaptersPerWeek: 2, weekday: "wed" } });
    expect(openingDates(dates)).toEqual(["2026-12-09", "2026-12-09", "2026-12-16", "2026-12-16", "2026-12-23"]);
    expect(dueDates(dates)).toEqual(["2026-12-16", "2026-12-16", "2026-12-23", "2026-12-23", "2026-12-30"]);
  });

  test("dueAfterDays 0 makes a chapter due the moment it opens", () => {
    const [first] = schedule({ anchorDate: "2026-12-07", items: chapters(1), rule: { dueAfterDays: 0 } });
    expect(first?.dueAt).toEqual(first?.opensAt);
  });

  test("no items: no dates", () => {
    expect(schedule({ anchorDate: "2026-12-07", items: [] })).toEqual([]);
  });
});

describe("computeSchedule: blackouts and weekends", () => {
  const holidays = { from: "2026-12-21", to: "2027-01-03" };

  test("a blackout spanning slots skips them: those weeks open nothing", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items: chapters(4), rule: { blackouts: [holidays], dueAfterDays: 3 } });
    expect(openingDates(dates)).toEqual(["2026-12-07", "2026-12-14", "2027-01-04", "2027-01-11"]);
  });

  test("blackout ranges are inclusive at both ends", () => {
    const onFrom = schedule({ anchorDate: "2026-12-07", items: chapters(2), rule: { blackouts: [{ from: "2026-12-14", to: "2026-12-15" }] } });
    expect(openingDates(onFrom)).toEqual(["2026-12-07", "2026-12-21"]);
    const onTo = schedule({ anchorDate: "2026-12-07", items: chapters(2), rule: { blackouts: [{ from: "2026-12-10", to: "2026-12-14" }] } });
    expect(openingDates(onTo)).toEqual(["2026-12-07", "2026-12-21"]);
  });

  test("a due date inside a blackout moves to the first day after it", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items: chapters(2), rule: { blackouts: [holidays] } });
    // Chapter 2 opens 14 Dec and would be due 21 Dec, the first blackout day.
    expect(local(dates)[1]).toEqual(["2026-12-14 09:00", "2027-01-04 09:00"]);
  });

  test("skipWeekends moves a Saturday due date to Monday; without it Saturday stays", () => {
    expect(local(schedule({ anchorDate: "2026-12-07", items: chapters(1), rule: { dueAfterDays: 5, skipWeekends: true } }))).toEqual([
      ["2026-12-07 09:00", "2026-12-14 09:00"],
    ]);
    expect(dueDates(schedule({ anchorDate: "2026-12-07", items: chapters(1), rule: { dueAfterDays: 5 } }))).toEqual(["2026-12-12"]);
  });

  test("a due date pushed out of a blackout onto a weekend moves on to Monday", () => {
    const dates = schedule({
      anchorDate: "2026-12-07",
      items: chapters(1),
      rule: { dueAfterDays: 4, skipWeekends: true, blackouts: [{ from: "2026-12-11", to: "2026-12-11" }] },
    });
    expect(dueDates(dates)).toEqual(["2026-12-14"]);
  });

  test("a rule that would open on a skipped weekend is refused instead of looping", () => {
    expect(() => schedule({ anchorDate: "2026-12-07", rule: { weekday: "sat", skipWeekends: true } })).toThrow(/weekend/);
  });
});

describe("computeSchedule: relative mode anchors", () => {
  test("different anchors give the same schedule shifted to each anchor's first slot", () => {
    const relative = { mode: "relative" as const };
    const early = schedule({ anchorDate: "2026-03-16", rule: relative });
    const twoWeeksLater = schedule({ anchorDate: "2026-03-30", rule: relative });
    const midWeek = schedule({ anchorDate: "2026-03-25", rule: relative });
    // Same local wall times, 14 calendar days later, even though 29 March changes the offset.
    expect(local(twoWeeksLater)).toEqual(local(early).map((pair) => pair.map((s) => `${addDays(s.slice(0, 10), 14)}${s.slice(10)}`)));
    expect(twoWeeksLater.map((d) => d.opensAt.getTime() - 14 * 86_400_000)).not.toEqual(early.map((d) => d.opensAt.getTime()));
    // Enrolling on a Wednesday waits for the next Monday.
    expect(openingDates(midWeek)).toEqual(["2026-03-30", "2026-04-06", "2026-04-13"]);
  });

  test("an override counts days from each learner's anchor", () => {
    const override: ItemOverride = { itemKey: "chapter:1", opensDay: 2, opensTime: "10:00", dueDay: 9, dueTime: "18:00" };
    const a = schedule({ anchorDate: "2026-03-20", items: chapters(1), overrides: [override], rule: { mode: "relative" } });
    const b = schedule({ anchorDate: "2026-03-30", items: chapters(1), overrides: [override], rule: { mode: "relative" } });
    expect(local(a)).toEqual([["2026-03-22 10:00", "2026-03-29 18:00"]]);
    expect(local(b)).toEqual([["2026-04-01 10:00", "2026-04-08 18:00"]]);
  });
});

describe("computeSchedule: overrides", () => {
  const override: ItemOverride = { itemKey: "chapter:2", opensDay: 3, opensTime: "10:00", dueDay: 10, dueTime: "18:00" };

  test("an override replaces that item's dates only and marks it", () => {
    const plain = schedule({ anchorDate: "2026-12-07" });
    const edited = schedule({ anchorDate: "2026-12-07", overrides: [override] });
    expect(edited[1]).toEqual({
      key: "chapter:2",
      opensAt: new Date("2026-12-10T09:00:00Z"),
      dueAt: new Date("2026-12-17T17:00:00Z"),
      overridden: true,
    });
    expect(edited[0]).toEqual(plain[0]);
    expect(edited[2]).toEqual(plain[2]);
    expect(edited.map((d) => d.overridden)).toEqual([false, true, false]);
  });

  test("overrides for keys that are not items are ignored", () => {
    const plain = schedule({ anchorDate: "2026-12-07" });
    expect(
      schedule({
        anchorDate: "2026-12-07",
        overrides: [
          { ...override, itemKey: "chapter:99" },
          { ...override, itemKey: "lab:nope" },
        ],
      }),
    ).toEqual(plain);
  });

  test("override days are calendar days across DST", () => {
    const dates = schedule({
      anchorDate: "2026-03-23",
      items: chapters(1),
      overrides: [{ ...override, itemKey: "chapter:1", opensDay: 7, dueDay: 7 }],
    });
    expect(dates[0]?.opensAt).toEqual(new Date("2026-03-30T08:00:00Z"));
    expect(dates[0]?.dueAt).toEqual(new Date("2026-03-30T16:00:00Z"));
  });

  test("an overridden chapter does not shift the chapters after it", () => {
    const dates = schedule({ anchorDate: "2026-12-07", overrides: [{ ...override, itemKey: "chapter:1", opensDay: 30, dueDay: 40 }] });
    expect(openingDates(dates)).toEqual(["2027-01-06", "2026-12-14", "2026-12-21"]);
  });
});

describe("computeSchedule: labs", () => {
  const items = [chapter(1), lab("knife", 1), chapter(2), lab("stock", 2), lab("roux", 2), chapter(3)];

  test("labs open and are due with their chapter, in item order", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items });
    expect(dates.map((d) => d.key)).toEqual(items.map((i) => i.key));
    const byKey = new Map(dates.map((d) => [d.key, d]));
    expect(byKey.get("lab:knife")).toEqual({ ...byKey.get("chapter:1"), key: "lab:knife" });
    expect(byKey.get("lab:stock")).toEqual({ ...byKey.get("chapter:2"), key: "lab:stock" });
    expect(byKey.get("lab:roux")).toEqual({ ...byKey.get("chapter:2"), key: "lab:roux" });
    // Labs take no slots: chapter 3 opens in the third week.
    expect(byKey.get("chapter:3")?.opensAt).toEqual(new Date("2026-12-21T08:00:00Z"));
  });

  test("a lab follows its chapter's override, and its own override wins over both", () => {
    const moved: ItemOverride = { itemKey: "chapter:2", opensDay: 20, opensTime: "12:00", dueDay: 27, dueTime: "12:00" };
    const dates = schedule({ anchorDate: "2026-12-07", items, overrides: [moved, { ...moved, itemKey: "lab:roux", opensDay: 21 }] });
    const byKey = new Map(dates.map((d) => [d.key, d]));
    expect(byKey.get("lab:stock")).toEqual({
      key: "lab:stock",
      opensAt: byKey.get("chapter:2")?.opensAt,
      dueAt: byKey.get("chapter:2")?.dueAt,
      overridden: false,
    });
    expect(byKey.get("lab:roux")).toEqual({
      key: "lab:roux",
      opensAt: new Date("2026-12-28T11:00:00Z"),
      dueAt: new Date("2027-01-03T11:00:00Z"),
      overridden: true,
    });
  });

  test("a lab whose chapter has no item takes the next chapter item, or the previous one when none follows", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items: [chapter(1), lab("plan", 2), chapter(3), lab("later", 4)] });
    expect(openingDates(dates)).toEqual(["2026-12-07", "2026-12-14", "2026-12-14", "2026-12-14"]);
  });

  test("labs without any chapter item are paced through the slots themselves", () => {
    const dates = schedule({ anchorDate: "2026-12-07", items: [lab("a", 1), lab("b", 2)] });
    expect(openingDates(dates)).toEqual(["2026-12-07", "2026-12-14"]);
  });
});

describe("computeSchedule: properties over random anchors and rules", () => {
  // A small deterministic generator so a failure names a reproducible case.
  function random(seed: number) {
    let state = seed;
    return (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
  }

  test("openings are on the weekday, on or after the anchor, never blocked, non-decreasing; every due is on or after its opening", () => {
    const next = random(42);
    const zones = [BERLIN, NEW_YORK, "Australia/Sydney", "Asia/Kolkata", "UTC"];
    for (let run = 0; run < 500; run++) {
      const anchorDate = addDays("2026-01-01", next(800));
      const skipWeekends = next(2) === 0;
      const weekday = weekdays[next(skipWeekends ? 5 : 7)] as PacingRule["weekday"];
      const blackoutStart = addDays(anchorDate, next(60));
      const r = rule({
        weekday,
        time: `${String(next(24)).padStart(2, "0")}:${next(2) === 0 ? "00" : "30"}`,
        chaptersPerWeek: 1 + next(3),
        dueAfterDays: next(15),
        skipWeekends,
        blackouts: next(2) === 0 ? [] : [{ from: blackoutStart, to: addDays(blackoutStart, next(20)) }],
      });
      const timeZone = zones[next(zones.length)] as string;
      const items = chapters(1 + next(12));
      const dates = computeSchedule({ rule: r, items, anchorDate, timeZone, overrides: [] });
      const context = JSON.stringify({ run, anchorDate, timeZone, r });
      const blocked = (d: string) => (r.skipWeekends && ["sat", "sun"].includes(weekdayOf(d))) || r.blackouts.some((b) => b.from <= d && d <= b.to);

      expect(dates.length, context).toBe(items.length);
      dates.forEach((d, i) => {
        const opens = toLocalParts(d.opensAt, timeZone).date;
        const due = toLocalParts(d.dueAt, timeZone).date;
        expect(d.dueAt.getTime(), context).toBeGreaterThanOrEqual(d.opensAt.getTime());
        expect(weekdayOf(opens), context).toBe(r.weekday);
        expect(daysBetween(anchorDate, opens), context).toBeGreaterThanOrEqual(0);
        expect(blocked(opens), context).toBe(false);
        expect(blocked(due), context).toBe(false);
        expect(daysBetween(opens, due), context).toBeGreaterThanOrEqual(r.dueAfterDays);
        const previous = dates[i - 1];
        if (previous) expect(d.opensAt.getTime(), context).toBeGreaterThanOrEqual(previous.opensAt.getTime());
      });
      if (r.blackouts.length === 0) expect(daysBetween(anchorDate, toLocalParts(dates[0]?.opensAt as Date, timeZone).date), context).toBeLessThan(7);
    }
  });
});

describe("overrideFromDates", () => {
  test("gives back the override that reproduces the dates", () => {
    const override = overrideFromDates({
      anchorDate: "2026-03-23",
      timeZone: BERLIN,
      itemKey: "chapter:2",
      opensAt: new Date("2026-03-28T09:30:00Z"),
      dueAt: new Date("2026-04-02T16:00:00Z"),
    });
    expect(override).toEqual({ itemKey: "chapter:2", opensDay: 5, opensTime: "10:30", dueDay: 10, dueTime: "18:00" });
    expect(itemOverrideSchema.safeParse(override).success).toBe(true);
    const [, second] = schedule({ anchorDate: "2026-03-23", items: chapters(2), overrides: [override] });
    expect(second).toEqual({
      key: "chapter:2",
      opensAt: new Date("2026-03-28T09:30:00Z"),
      dueAt: new Date("2026-04-02T16:00:00Z"),
      overridden: true,
    });
  });

  test("a date before the anchor gives negative days, which the override schema refuses", () => {
    const override = overrideFromDates({
      anchorDate: "2026-12-07",
      timeZone: BERLIN,
      itemKey: "chapter:1",
      opensAt: new Date("2026-12-05T08:00:00Z"),
      dueAt: new Date("2026-12-10T08:00:00Z"),
    });
    expect(override.opensDay).toBe(-2);
    expect(itemOverrideSchema.safeParse(override).success).toBe(false);
  });
});
