"use client";

import { type PacingRule, type Weekday, weekdays } from "@cookbook/schedule/pacing-rule";
import { blackoutLines, weekdayNames } from "./cohort-rule-text";

/** A pacing rule as the form holds it: numbers as typed, blackout ranges as text lines. */
export type RuleDraft = {
  mode: PacingRule["mode"];
  chaptersPerWeek: number;
  weekday: Weekday;
  time: string;
  dueAfterDays: number;
  skipWeekends: boolean;
  blackouts: string;
};

export const defaultRuleDraft: RuleDraft = {
  mode: "fixed",
  chaptersPerWeek: 1,
  weekday: "mon",
  time: "09:00",
  dueAfterDays: 6,
  skipWeekends: false,
  blackouts: "",
};

export function ruleDraftOf(rule: PacingRule): RuleDraft {
  return { ...rule, blackouts: blackoutLines(rule.blackouts) };
}

/**
 * The rule the server validates. A line "from..to" is a range, a single date one day; what is
 * not a date is sent as typed, so the server's message names the problem.
 */
export function ruleOf(draft: RuleDraft): PacingRule {
  const blackouts = draft.blackouts
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [from = "", to] = line.split("..").map((part) => part.trim());
      return { from, to: to ?? from };
    });
  return { ...draft, blackouts };
}

/** The rule's inputs, controlled by the form that holds the draft. */
export function RuleFields({ value, onChange }: { value: RuleDraft; onChange: (draft: RuleDraft) => void }) {
  const set = <K extends keyof RuleDraft>(key: K, v: RuleDraft[K]) => onChange({ ...value, [key]: v });
  return (
    <fieldset className="form">
      <legend>Pacing rule</legend>
      <label>
        Dates count from
        <select name="mode" value={value.mode} onChange={(e) => set("mode", e.target.value as RuleDraft["mode"])}>
          <option value="fixed">the cohort's start date (fixed)</option>
          <option value="relative">each learner's enrollment date (relative, rolling admission)</option>
        </select>
      </label>
      <label>
        Chapters per week
        <input
          name="chaptersPerWeek"
          type="number"
          min={1}
          max={20}
          value={Number.isNaN(value.chaptersPerWeek) ? "" : value.chaptersPerWeek}
          onChange={(e) => set("chaptersPerWeek", e.target.valueAsNumber)}
        />
      </label>
      <label>
        Opening weekday
        <select name="weekday" value={value.weekday} onChange={(e) => set("weekday", e.target.value as Weekday)}>
          {weekdays.map((d) => (
            <option key={d} value={d}>
              {weekdayNames[d]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Opening time
        <input name="time" type="time" value={value.time} onChange={(e) => set("time", e.target.value)} />
      </label>
      <label>
        Due after (days)
        <input
          name="dueAfterDays"
          type="number"
          min={0}
          max={180}
          value={Number.isNaN(value.dueAfterDays) ? "" : value.dueAfterDays}
          onChange={(e) => set("dueAfterDays", e.target.valueAsNumber)}
        />
      </label>
      <label>
        <span>
          <input
            name="skipWeekends"
            type="checkbox"
            style={{ width: "auto" }}
            checked={value.skipWeekends}
            onChange={(e) => set("skipWeekends", e.target.checked)}
          />{" "}
          Skip weekends
        </span>
      </label>
      <label>
        Blackout dates (one per line: 2026-12-24..2027-01-01 or 2026-12-31)
        <textarea
          name="blackouts"
          rows={3}
          style={{ font: "inherit", width: "100%" }}
          value={value.blackouts}
          onChange={(e) => set("blackouts", e.target.value)}
        />
      </label>
    </fieldset>
  );
}
