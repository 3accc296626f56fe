import { z } from "zod";

/** ISO weekdays, Monday first (luxon's `weekday` 1..7 is the index + 1). */
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

export const scheduleModes = ["fixed", "relative"] as const;
/** fixed: dates count from the cohort's start date; relative: from each learner's own enrollment date. */
export type ScheduleMode = (typeof scheduleModes)[number];

/**
 * A calendar date, `YYYY-MM-DD`, that exists, in this century or the next: schedules are
 * computed day by day from these, so the range bounds their cost (and keeps every date within
 * what the ISO format can write).
 */
export const isoDate = z
  .string()
  .regex(/^(20|21)\d{2}-\d{2}-\d{2}$/, { error: "Use a date like 2026-12-07 (years 2000 to 2199)." })
  .refine((d) => {
    const date = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === d;
  }, "No such date.");

/** The longest blackout range: a break, not a way to switch a schedule off (which would also make it costly to compute). */
export const MAX_BLACKOUT_DAYS = 366;

/** A wall-clock time, `HH:MM` on the 24-hour clock. */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Use a time like 09:00." });

export const blackoutSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((b) => b.from <= b.to, { error: "A blackout range ends on or after the day it starts.", path: ["to"] })
  .refine((b) => (Date.parse(b.to) - Date.parse(b.from)) / 86_400_000 < MAX_BLACKOUT_DAYS, {
    error: `A blackout range lasts at most ${MAX_BLACKOUT_DAYS} days.`,
    path: ["to"],
  });
export type Blackout = z.infer<typeof blackoutSchema>;

/**
 * A schedule written once as a rule: from the anchor date (the cohort's start, or the learner's
 * enrollment in relative mode), open `chaptersPerWeek` chapters every week on `weekday` at
 * `time` in the cohort's time zone, each due `dueAfterDays` days after it opens. Weeks whose
 * opening day is a blackout open nothing; a due date on a weekend (when skipped) or a blackout
 * day moves to the next day that is neither. Labs open and are due with their chapter.
 */
export const pacingRuleSchema = z
  .object({
    mode: z.enum(scheduleModes),
    chaptersPerWeek: z.number().int().min(1).max(20),
    weekday: z.enum(weekdays),
    time: localTime,
    dueAfterDays: z.number().int().min(0).max(180),
    skipWeekends: z.boolean(),
    blackouts: z.array(blackoutSchema).max(50),
  })
  .refine((r) => !(r.skipWeekends && (r.weekday === "sat" || r.weekday === "sun")), {
    error: "Chapters cannot open on a weekend when weekends are skipped.",
    path: ["weekday"],
  });
export type PacingRule = z.infer<typeof pacingRuleSchema>;

/**
 * A hand edit of one item's dates, in calendar days after the anchor date and a wall-clock time:
 * in fixed mode that is one exact date; in relative mode it moves with each learner's enrollment.
 */
export const itemOverrideSchema = z
  .object({
    itemKey: z.string().min(1).max(200),
    opensDay: z.number().int().min(0).max(3660),
    opensTime: localTime,
    dueDay: z.number().int().min(0).max(3660),
    dueTime: localTime,
  })
  .refine((o) => o.dueDay > o.opensDay || (o.dueDay === o.opensDay && o.dueTime > o.opensTime), {
    error: "The due time must be after the opening time.",
    path: ["dueDay"],
  });
export type ItemOverride = z.infer<typeof itemOverrideSchema>;

/** Items are chapters (`chapter:<number>`) and labs (`lab:<slug>`). */
export const chapterItemKey = (chapterNumber: number) => `chapter:${chapterNumber}`;
export const labItemKey = (labSlug: string) => `lab:${labSlug}`;
