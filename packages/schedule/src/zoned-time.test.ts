import { describe, expect, test } from "vitest";
import {
  addDays,
  canonicalTimeZone,
  daysBetween,
  formatInZone,
  isValidTimeZone,
  localDateOf,
  shiftDays,
  toLocalParts,
  weekdayOf,
  zonedInstant,
} from "./zoned-time";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const utc = (iso: string) => new Date(iso);

describe("isValidTimeZone", () => {
  test("knows IANA zones and refuses made-up names and offsets", () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone(NEW_YORK)).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone("+05:00")).toBe(false);
  });
});

describe("canonicalTimeZone", () => {
  test("one spelling per zone: the case-insensitive matches become the runtime's name", () => {
    expect(canonicalTimeZone("europe/berlin")).toBe(BERLIN);
    expect(canonicalTimeZone("EUROPE/BERLIN")).toBe(BERLIN);
    expect(canonicalTimeZone(BERLIN)).toBe(BERLIN);
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Etc/GMT-14")).toBe("Etc/GMT-14");
    expect(() => canonicalTimeZone("Etc/GMT+14")).toThrow(RangeError);
  });
});

describe("zonedInstant", () => {
  test("09:00 in Berlin is 08:00Z in winter time and 07:00Z after 2026-03-29, 08:00Z again after 2026-10-25", () => {
    expect(zonedInstant("2026-03-28", "09:00", BERLIN)).toEqual(utc("2026-03-28T08:00:00Z"));
    expect(zonedInstant("2026-03-29", "09:00", BERLIN)).toEqual(utc("2026-03-29T07:00:00Z"));
    expect(zonedInstant("2026-10-24", "09:00", BERLIN)).toEqual(utc("2026-10-24T07:00:00Z"));
    expect(zonedInstant("2026-10-25", "09:00", BERLIN)).toEqual(utc("2026-10-25T08:00:00Z"));
  });

  test("09:00 in New York is 14:00Z in EST and 13:00Z in EDT (2026-03-08 to 2026-11-01)", () => {
    expect(zonedInstant("2026-03-07", "09:00", NEW_YORK)).toEqual(utc("2026-03-07T14:00:00Z"));
    expect(zonedInstant("2026-03-08", "09:00", NEW_YORK)).toEqual(utc("2026-03-08T13:00:00Z"));
    expect(zonedInstant("2026-10-31", "09:00", NEW_YORK)).toEqual(utc("2026-10-31T13:00:00Z"));
    expect(zonedInstant("2026-11-01", "09:00", NEW_YORK)).toEqual(utc("2026-11-01T14:00:00Z"));
  });

  test("a local time in the spring gap moves forward past the gap", () => {
    // Berlin clocks jump 02:00 CET -> 03:00 CEST on 2026-03-29; 02:30 does not exist and becomes 03:30 CEST.
    const instant = zonedInstant("2026-03-29", "02:30", BERLIN);
    expect(instant).toEqual(utc("2026-03-29T01:30:00Z"));
    expect(toLocalParts(instant, BERLIN)).toEqual({ date: "2026-03-29", time: "03:30" });
    expect(zonedInstant("2026-03-08", "02:30", NEW_YORK)).toEqual(utc("2026-03-08T07:30:00Z"));
    // The edges of the gap: 01:59 is still CET, 03:00 is CEST.
    expect(zonedInstant("2026-03-29", "01:59", BERLIN)).toEqual(utc("2026-03-29T00:59:00Z"));
    expect(zonedInstant("2026-03-29", "03:00", BERLIN)).toEqual(utc("2026-03-29T01:00:00Z"));
  });

  test("a local time that happens twice in autumn picks the earlier instant", () => {
    // 02:30 on 2026-10-25 in Berlin is 00:30Z (CEST) and again 01:30Z (CET).
    expect(zonedInstant("2026-10-25", "02:30", BERLIN)).toEqual(utc("2026-10-25T00:30:00Z"));
    expect(zonedInstant("2026-10-25", "02:00", BERLIN)).toEqual(utc("2026-10-25T00:00:00Z"));
    expect(zonedInstant("2026-10-25", "03:00", BERLIN)).toEqual(utc("2026-10-25T02:00:00Z"));
    expect(zonedInstant("2026-11-01", "01:30", NEW_YORK)).toEqual(utc("2026-11-01T05:30:00Z"));
  });

  test("refuses unknown zones, impossible dates and malformed times", () => {
    expect(() => zonedInstant("2026-12-07", "09:00", "Mars/Olympus")).toThrow(/Unknown time zone/);
    expect(() => zonedInstant("2026-02-30", "09:00", BERLIN)).toThrow(/No such date/);
    expect(() => zonedInstant("7.12.2026", "09:00", BERLIN)).toThrow(/Not a date/);
    expect(() => zonedInstant("2026-12-07", "24:00", BERLIN)).toThrow(/Not a time/);
    expect(() => zonedInstant("2026-12-07", "9:00", BERLIN)).toThrow(/Not a time/);
  });
});

describe("calendar dates", () => {
  test("localDateOf is the date on the zone's clocks", () => {
    const lateEvening = utc("2026-12-07T23:30:00Z");
    expect(localDateOf(lateEvening, BERLIN)).toBe("2026-12-08");
    expect(localDateOf(lateEvening, NEW_YORK)).toBe("2026-12-07");
    expect(localDateOf(lateEvening, "UTC")).toBe("2026-12-07");
  });

  test("addDays crosses months, leap days and years in both directions", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-29", 7)).toBe("2026-04-05");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2026-12-07", 0)).toBe("2026-12-07");
  });

  test("weekdayOf counts from Monday", () => {
    expect(weekdayOf("2026-12-07")).toBe("mon");
    expect(weekdayOf("2026-12-12")).toBe("sat");
    expect(weekdayOf("2026-12-13")).toBe("sun");
    expect(weekdayOf("2026-03-29")).toBe("sun");
  });

  test("daysBetween is positive when the second date is later, whole days across DST", () => {
    expect(daysBetween("2026-03-01", "2026-04-01")).toBe(31);
    expect(daysBetween("2026-10-20", "2026-10-27")).toBe(7);
    expect(daysBetween("2026-12-07", "2026-12-01")).toBe(-6);
    expect(daysBetween("2026-12-07", "2026-12-07")).toBe(0);
  });
});

describe("shiftDays", () => {
  test("keeps the local wall time across the Berlin changes", () => {
    expect(shiftDays(utc("2026-03-28T08:00:00Z"), 1, BERLIN)).toEqual(utc("2026-03-29T07:00:00Z"));
    expect(shiftDays(utc("2026-03-29T07:00:00Z"), -1, BERLIN)).toEqual(utc("2026-03-28T08:00:00Z"));
    expect(shiftDays(utc("2026-10-24T07:00:00Z"), 1, BERLIN)).toEqual(utc("2026-10-25T08:00:00Z"));
    expect(shiftDays(utc("2026-10-20T07:00:00Z"), 7, BERLIN)).toEqual(utc("2026-10-27T08:00:00Z"));
  });

  test("keeps the local wall time across the New York changes", () => {
    expect(shiftDays(utc("2026-03-05T14:00:00Z"), 7, NEW_YORK)).toEqual(utc("2026-03-12T13:00:00Z"));
    expect(shiftDays(utc("2026-10-29T13:00:00Z"), 7, NEW_YORK)).toEqual(utc("2026-11-05T14:00:00Z"));
  });

  test("keeps seconds and milliseconds, and 0 days is the same instant", () => {
    const instant = utc("2026-03-28T08:15:42.123Z");
    expect(shiftDays(instant, 1, BERLIN)).toEqual(utc("2026-03-29T07:15:42.123Z"));
    expect(shiftDays(instant, 0, BERLIN)).toEqual(instant);
  });

  test("landing in the spring gap moves forward past it", () => {
    // 02:30 CET on 2026-03-28 plus one day would be 02:30 on the 29th, which does not exist.
    expect(shiftDays(utc("2026-03-28T01:30:00Z"), 1, BERLIN)).toEqual(utc("2026-03-29T01:30:00Z"));
  });
});

describe("formatInZone", () => {
  const current = utc("2026-12-02T09:00:00Z");

  test("British order and 24-hour clock in the zone, no year for the current year", () => {
    expect(formatInZone(utc("2026-12-08T08:00:00Z"), BERLIN, current)).toBe("Tue 8 Dec, 09:00");
    expect(formatInZone(utc("2026-12-08T08:00:00Z"), NEW_YORK, current)).toBe("Tue 8 Dec, 03:00");
    expect(formatInZone(utc("2026-12-07T23:30:00Z"), BERLIN, current)).toBe("Tue 8 Dec, 00:30");
    expect(formatInZone(utc("2026-09-14T07:00:00Z"), BERLIN, current)).toBe("Mon 14 Sep, 09:00");
  });

  test("adds the year when it is not the current one", () => {
    expect(formatInZone(utc("2027-01-04T08:00:00Z"), BERLIN, current)).toBe("Mon 4 Jan 2027, 09:00");
    expect(formatInZone(utc("2025-12-08T08:00:00Z"), BERLIN, current)).toBe("Mon 8 Dec 2025, 09:00");
    // New Year's Eve 23:30Z is already next year in Berlin.
    expect(formatInZone(utc("2026-12-31T23:30:00Z"), BERLIN, current)).toBe("Fri 1 Jan 2027, 00:30");
  });
});
