import { IANAZone } from "luxon";
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

/**
 * The zone's name as the runtime spells it ("europe/berlin" → "Europe/Berlin", "utc" → "UTC"):
 * zone names match case-insensitively, so one zone has many spellings, and a stored spelling is
 * shown to learners in every date ("Locked until … (europe/berlin)"). Store only this one.
 */
export function canonicalTimeZone(tz: string): string {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone "${tz}".`);
  return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter that names the UTC offset ("GMT+01:00") in force in `tz`, cached per zone. Offsets
 * are read from it rather than from luxon's zone objects because luxon's formatToParts lookup is
 * about seven times slower, and a roster computes a schedule and every item's state per learner.
 */
function offsetFormat(tz: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(tz);
  if (!format) {
    if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone "${tz}".`);
    format = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
    offsetFormats.set(tz, format);
  }
  return format;
}

const OFFSET_PATTERN = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Milliseconds to add to a UTC instant to get the wall clock of the zone at that instant. */
function offsetAt(ms: number, format: Intl.DateTimeFormat): number {
  const match = OFFSET_PATTERN.exec(format.format(ms));
  if (!match) throw new Error(`Unexpected offset format "${format.format(ms)}".`);
  const [, sign, h = "0", m = "0", sec = "0"] = match;
  return (sign === "-" ? -1 : 1) * (Number(h) * 3_600_000 + Number(m) * 60_000 + Number(sec) * 1000);
}

/** The zone's wall clock at `instant`, as milliseconds whose UTC fields are the local ones. */
function wallClock(instant: Date, format: Intl.DateTimeFormat): number {
  return instant.getTime() + offsetAt(instant.getTime(), format);
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

/**
 * The instant at which clocks in `tz` show the wall time `wallMs` (wall fields encoded as if UTC).
 * (Not luxon's DateTime.fromObject: it resolves an ambiguous time, the repeated hour in autumn, to
 * the LATER instant, and the design asks for the earlier one.) Both candidate offsets (those in force a day either side, which
 * covers any single transition) are tried and the earliest consistent instant wins. A wall time in
 * the spring gap has no consistent instant: it is read with the offset before the gap, which lands
 * the same distance past the gap (02:30 in a 02:00→03:00 gap becomes 03:30).
 */
function resolveWallTime(wallMs: number, format: Intl.DateTimeFormat): Date {
  const before = offsetAt(wallMs - DAY_MS, format);
  const after = offsetAt(wallMs + DAY_MS, format);
  // No transition nearby (nearly always): one offset, no gap, no repeat. Saves two Intl lookups.
  if (before === after) return new Date(wallMs - before);
  const consistent = [before, after].map((offset) => wallMs - offset).filter((ms) => offsetAt(ms, format) === wallMs - ms);
  if (consistent.length > 0) return new Date(Math.min(...consistent));
  return new Date(wallMs - before);
}

/**
 * Instants already worked out, by zone, date and time: a gradebook computes a schedule per
 * learner (in relative mode each from their own enrollment day), and their weekly slots fall on
 * the same few dozen dates. A pure function of its key, so the cache cannot be stale; bounded.
 */
const instants = new Map<string, number>();
const instantsKept = 20_000;

/** The instant of wall-clock `time` on calendar `date` in `tz`. */
export function zonedInstant(date: string, time: string, tz: string): Date {
  const key = `${tz} ${date} ${time}`;
  const kept = instants.get(key);
  if (kept !== undefined) return new Date(kept);
  const instant = resolveZonedInstant(date, time, tz);
  if (instants.size >= instantsKept) instants.clear();
  instants.set(key, instant.getTime());
  return instant;
}

function resolveZonedInstant(date: string, time: string, tz: string): Date {
  const format = offsetFormat(tz);
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`Not a time: "${time}".`);
  const [, h, m] = match.map(Number) as [number, number, number];
  return resolveWallTime(dateToUtcMs(date) + h * 3_600_000 + m * 60_000, format);
}

/** The calendar date clocks in `tz` show at `instant`. */
export function localDateOf(instant: Date, tz: string): string {
  return toLocalParts(instant, tz).date;
}

/** The wall-clock date and `HH:MM` time in `tz` at `instant` (seconds are dropped). */
export function toLocalParts(instant: Date, tz: string): { date: string; time: string } {
  const local = new Date(wallClock(instant, offsetFormat(tz))).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
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
  const format = offsetFormat(tz);
  return resolveWallTime(wallClock(instant, format) + days * DAY_MS, format);
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
  const format = offsetFormat(tz);
  const local = new Date(wallClock(instant, format));
  const year = local.getUTCFullYear() === new Date(wallClock(current, format)).getUTCFullYear() ? "" : ` ${local.getUTCFullYear()}`;
  const time = local.toISOString().slice(11, 16);
  return `${WEEKDAY_NAMES[(local.getUTCDay() + 6) % 7]} ${local.getUTCDate()} ${MONTH_NAMES[local.getUTCMonth()]}${year}, ${time}`;
}
