import type { PacingRule, Weekday } from "@cookbook/schedule/pacing-rule";

/** Plain functions shared by server pages and client forms (no "use client": a server page calls them directly). */

export const weekdayNames: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Dates from the cohort's start date: 2 chapters every Monday at 09:00, each due 6 days after it opens; …" */
export function describeRule(rule: PacingRule): string {
  const from = rule.mode === "fixed" ? "Dates from the cohort's start date" : "Dates from each learner's own enrollment date";
  const parts = [
    `${from}: ${plural(rule.chaptersPerWeek, "chapter")} every ${weekdayNames[rule.weekday]} at ${rule.time}`,
    rule.dueAfterDays === 0 ? "each due the day it opens" : `each due ${plural(rule.dueAfterDays, "day")} after it opens`,
  ];
  if (rule.skipWeekends) parts.push("due dates skip weekends");
  if (rule.blackouts.length > 0)
    parts.push(`nothing opens or is due on ${rule.blackouts.map((b) => (b.from === b.to ? b.from : `${b.from} to ${b.to}`)).join(", ")}`);
  return `${parts.join("; ")}.`;
}

export function describeLatePolicy(policy: "accept_late" | "close_after", closeAfterDays: number | null): string {
  return policy === "accept_late" ? "Late work is accepted (and marked late)." : `Work closes ${plural(closeAfterDays ?? 0, "day")} after it is due.`;
}

/** Blackout ranges as the form writes them: one per line, "2026-12-24..2027-01-01" or a single date. */
export function blackoutLines(blackouts: PacingRule["blackouts"]): string {
  return blackouts.map((b) => (b.from === b.to ? b.from : `${b.from}..${b.to}`)).join("\n");
}
