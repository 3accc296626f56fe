import { chapterItemKey, type ItemOverride, labItemKey, type PacingRule } from "./pacing-rule";
import { addDays, daysBetween, toLocalParts, weekdayOf, zonedInstant } from "./zoned-time";

/** Something a learner completes on a schedule: a chapter with text, or a lab. */
export type ScheduleItem = { key: string; kind: "chapter" | "lab"; chapterNumber: number; title: string };

/** An item's opening and due instants (UTC) before any extension. */
export type ItemDates = { key: string; opensAt: Date; dueAt: Date; overridden: boolean };

type OutlineChapter = { number: number; title: string; lessons: { key: string; outline: boolean }[] };
type LabRef = { slug: string; title: string; lessonKey: string };

/**
 * The items of a course version in book order: each chapter with at least one lesson with text
 * (outline-only chapters have nothing to complete, so they get no dates), each followed by the
 * labs whose lesson is in that chapter, in lesson order (a lesson's several labs in the order
 * `labs` lists them, the catalog's). Labs whose lesson is not in this version are not items. A
 * lab still follows its chapter's place when that chapter is outline-only.
 */
export function scheduleItems(outline: OutlineChapter[], labs: readonly LabRef[]): ScheduleItem[] {
  const items: ScheduleItem[] = [];
  for (const chapter of outline) {
    if (chapter.lessons.some((lesson) => !lesson.outline)) {
      items.push({ key: chapterItemKey(chapter.number), kind: "chapter", chapterNumber: chapter.number, title: chapter.title });
    }
    for (const lesson of chapter.lessons) {
      for (const lab of labs) {
        if (lab.lessonKey === lesson.key) items.push({ key: labItemKey(lab.slug), kind: "lab", chapterNumber: chapter.number, title: lab.title });
      }
    }
  }
  return items;
}

function inBlackout(date: string, rule: PacingRule): boolean {
  return rule.blackouts.some((b) => b.from <= date && date <= b.to);
}

/** Days that open nothing and on which nothing is due. */
function isBlocked(date: string, rule: PacingRule): boolean {
  const weekday = weekdayOf(date);
  return (rule.skipWeekends && (weekday === "sat" || weekday === "sun")) || inBlackout(date, rule);
}

/**
 * Opening dates of the first `count` used weekly slots from `anchorDate`: slot 0 is the first
 * `rule.weekday` on or after the anchor, each next slot seven calendar days later, and a slot on
 * a blocked day is skipped rather than moved so the weekly rhythm stays on the same weekday.
 */
function openingDates(rule: PacingRule, anchorDate: string, count: number): string[] {
  if (count > 0 && rule.skipWeekends && (rule.weekday === "sat" || rule.weekday === "sun")) {
    // pacingRuleSchema refuses this rule; every slot would be skipped forever.
    throw new RangeError("Chapters cannot open on a weekend when weekends are skipped.");
  }
  let slot = anchorDate;
  while (weekdayOf(slot) !== rule.weekday) slot = addDays(slot, 1);
  const dates: string[] = [];
  // Terminates: blackouts are finite ranges, and a weekday slot is never a skipped weekend.
  for (; dates.length < count; slot = addDays(slot, 7)) {
    if (!isBlocked(slot, rule)) dates.push(slot);
  }
  return dates;
}

function dueDateFor(openingDate: string, rule: PacingRule): string {
  let due = addDays(openingDate, rule.dueAfterDays);
  while (isBlocked(due, rule)) due = addDays(due, 1);
  return due;
}

function overrideDates(override: ItemOverride, anchorDate: string, timeZone: string): { opensAt: Date; dueAt: Date } {
  return {
    opensAt: zonedInstant(addDays(anchorDate, override.opensDay), override.opensTime, timeZone),
    dueAt: zonedInstant(addDays(anchorDate, override.dueDay), override.dueTime, timeZone),
  };
}

/**
 * Every item's dates from the pacing rule and the anchor date, in item order. Chapters take the
 * weekly slots `chaptersPerWeek` at a time; a lab takes its chapter's dates (with that chapter's
 * override, so moving a chapter by hand moves its lab too), or those of the nearest following
 * chapter item (else preceding) when its chapter has none. A course with labs but no chapter item
 * paces the labs through the slots instead. An item's own override replaces its dates; overrides
 * for keys that are not items are ignored (callers report them).
 */
export function computeSchedule(input: {
  rule: PacingRule;
  items: ScheduleItem[];
  anchorDate: string;
  timeZone: string;
  overrides: readonly ItemOverride[];
}): ItemDates[] {
  const { rule, items, anchorDate, timeZone } = input;
  const overrides = new Map(input.overrides.map((o) => [o.itemKey, o]));
  const hasChapters = items.some((item) => item.kind === "chapter");
  const paced = items.filter((item) => item.kind === "chapter" || !hasChapters);
  const slots = openingDates(rule, anchorDate, Math.ceil(paced.length / rule.chaptersPerWeek));

  const dates = new Map<string, ItemDates>();
  paced.forEach((item, index) => {
    const override = overrides.get(item.key);
    if (override) {
      dates.set(item.key, { key: item.key, ...overrideDates(override, anchorDate, timeZone), overridden: true });
      return;
    }
    const opening = slots[Math.floor(index / rule.chaptersPerWeek)] as string;
    dates.set(item.key, {
      key: item.key,
      opensAt: zonedInstant(opening, rule.time, timeZone),
      dueAt: zonedInstant(dueDateFor(opening, rule), rule.time, timeZone),
      overridden: false,
    });
  });

  return items.map((item, index) => {
    const own = dates.get(item.key);
    if (own) return own;
    const override = overrides.get(item.key);
    if (override) return { key: item.key, ...overrideDates(override, anchorDate, timeZone), overridden: true };
    const chapter = chapterDatesFor(item, index, items, dates);
    return { key: item.key, opensAt: chapter.opensAt, dueAt: chapter.dueAt, overridden: false };
  });
}

/** A lab's chapter's dates; every lab has some when the course has a chapter item at all. */
function chapterDatesFor(lab: ScheduleItem, index: number, items: ScheduleItem[], dates: Map<string, ItemDates>): ItemDates {
  const isChapter = (item: ScheduleItem) => item.kind === "chapter";
  const own = items.find((item) => isChapter(item) && item.chapterNumber === lab.chapterNumber);
  const next = items.slice(index + 1).find(isChapter);
  const previous = items.slice(0, index).findLast(isChapter);
  const chapter = own ?? next ?? previous;
  const found = chapter && dates.get(chapter.key);
  if (!found) throw new Error(`No chapter dates for ${lab.key}.`);
  return found;
}

/**
 * The override that pins an item to `opensAt`/`dueAt` (the editor's inverse of `computeSchedule`
 * in fixed mode). Not validated: dates before the anchor give negative days, which callers reject
 * by parsing the result with `itemOverrideSchema`.
 */
export function overrideFromDates(input: { anchorDate: string; timeZone: string; itemKey: string; opensAt: Date; dueAt: Date }): ItemOverride {
  const opens = toLocalParts(input.opensAt, input.timeZone);
  const due = toLocalParts(input.dueAt, input.timeZone);
  return {
    itemKey: input.itemKey,
    opensDay: daysBetween(input.anchorDate, opens.date),
    opensTime: opens.time,
    dueDay: daysBetween(input.anchorDate, due.date),
    dueTime: due.time,
  };
}
