import { DateTime, IANAZone } from "luxon";
import { type Weekday, weekdays } from "./pacing-rule";

/**
 * Calendar arithmetic in a cohort's time zone. Dates are `YYYY-MM-DD` strings and times `HH:MM`
 * wall-clock strings; instants are UTC `Date`s. A week later means the same wall-clock time seven
 * calendar days later, which is 167 or 169 hours across a DST change, so nothing here adds hours.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for IANA zone names the runtime knows ("Europe/Berlin", "UTC"); false for "Mars/Olympus" or offsets. */
export function isValidTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

function assertZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone "${tz}".`);
}

/** Milliseconds since the epoch of midnight UTC on `date`, which must exist. */
function dateToUtcMs(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Not a date: "${date}".`);
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`No such date: "${date}".`);
  return ms;
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Offset from UTC in minutes that `tz` uses at the instant `ms`. */
function offsetMinutes(ms: number, tz: string): number {
  return DateTime.fromMillis(ms, { zone: tz }).offset;
}

/**
 * The instant at which clocks in `tz` show the wall time `wallMs` (wall fields encoded as if UTC).
 * Luxon resolves an ambiguous time (the repeated hour in autumn) to the LATER instant; the design
 * asks for the earlier one, so both candidate offsets (those in force a day either side, which
 * covers any single transition) are tried and the earliest consistent instant wins. A wall time in
 * the spring gap has no consistent instant: it is read with the offset before the gap, which lands
 * the same distance past the gap (02:30 in a 02:00→03:00 gap becomes 03:30).
 */
function resolveWallTime(wallMs: number, tz: string): Date {
  const before = offsetMinutes(wallMs - DAY_MS, tz);
  const after = offsetMinutes(wallMs + DAY_MS, tz);
  const consistent = [before, after].map((offset) => wallMs - offset * 60_000).filter((ms) => offsetMinutes(ms, tz) * 60_000 === wallMs - ms);
  if (consistent.length > 0) return new Date(Math.min(...consistent));
  return new Date(wallMs - before * 60_000);
}

/** The instant of wall-clock `time` on calendar `date` in `tz`. */
export function zonedInstant(date: string, time: string, tz: string): Date {
  assertZone(tz);
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`Not a time: "${time}".`);
  const [, h, m] = match.map(Number) as [number, number, number];
  return resolveWallTime(dateToUtcMs(date) + h * 3_600_000 + m * 60_000, tz);
}

/** The calendar date clocks in `tz` show at `instant`. */
export function localDateOf(instant: Date, tz: string): string {
  return toLocalParts(instant, tz).date;
}

/** The wall-clock date and `HH:MM` time in `tz` at `instant` (seconds are dropped). */
export function toLocalParts(instant: Date, tz: string): { date: string; time: string } {
  assertZone(tz);
  const local = DateTime.fromJSDate(instant, { zone: tz });
  return { date: local.toFormat("yyyy-MM-dd"), time: local.toFormat("HH:mm") };
}

/** The calendar date `n` days after `date` (before it for negative `n`). */
export function addDays(date: string, n: number): string {
  return utcMsToDate(dateToUtcMs(date) + n * DAY_MS);
}

export function weekdayOf(date: string): Weekday {
  // getUTCDay is 0 for Sunday; weekdays starts with Monday.
  return weekdays[(new Date(dateToUtcMs(date)).getUTCDay() + 6) % 7] as Weekday;
}

/** Calendar days from `a` to `b`: positive when `b` is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateToUtcMs(b) - dateToUtcMs(a)) / DAY_MS);
}

/**
 * The same local wall time (to the millisecond) `days` calendar days after `instant` in `tz`:
 * an extension of 1 day on a 09:00 deadline stays 09:00 even when the clocks change overnight.
 */
export function shiftDays(instant: Date, days: number, tz: string): Date {
  assertZone(tz);
  const local = DateTime.fromJSDate(instant, { zone: tz });
  const wallMs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
  return resolveWallTime(wallMs + days * DAY_MS, tz);
}

// Fixed English names rather than Intl's: ICU versions differ (en-GB renders September as "Sept" on some).
const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * `instant` as clocks in `tz` show it, British order and 24-hour clock: "Mon 8 Dec, 09:00", with
 * the year ("Mon 8 Dec 2025, 09:00") only when it is not the year of `current` in `tz`. Callers on
 * the server pass the clock's `now()` as `current`; the caller appends the zone name.
 */
export function formatInZone(instant: Date, tz: string, current: Date = new Date()): string {
  assertZone(tz);
  const local = DateTime.fromJSDate(instant, { zone: tz });
  const year = local.year === DateTime.fromJSDate(current, { zone: tz }).year ? "" : ` ${local.year}`;
  return `${WEEKDAY_NAMES[local.weekday - 1]} ${local.day} ${MONTH_NAMES[local.month - 1]}${year}, ${local.toFormat("HH:mm")}`;
}
