import type { ItemDates } from "./compute-schedule";
import { formatInZone, shiftDays } from "./zoned-time";

/** locked: not open yet; open: work accepted (late or not); closed: past closesAt, work refused. */
export type ItemState = "locked" | "open" | "closed";

/**
 * One learner's standing on one item at `now`. The extension moves the due time by whole calendar
 * days at the same wall-clock time in the cohort zone, and closesAt (close_after only) counts from
 * that extended due time, so an extension also keeps the item open longer.
 */
export function itemStatus(input: {
  dates: ItemDates;
  extensionDays: number;
  doneAt: Date | null;
  now: Date;
  timeZone: string;
  latePolicy: "accept_late" | "close_after";
  closeAfterDays: number | null;
}): {
  opensAt: Date;
  dueAt: Date;
  closesAt: Date | null;
  extensionDays: number;
  state: ItemState;
  done: boolean;
  doneAt: Date | null;
  late: boolean;
  overdue: boolean;
} {
  const { dates, extensionDays, doneAt, now, timeZone } = input;
  // No shift, no time-zone arithmetic: most items of most learners have no extension, and a
  // gradebook works out thousands of them.
  const dueAt = extensionDays === 0 ? dates.dueAt : shiftDays(dates.dueAt, extensionDays, timeZone);
  const closeAfterDays = input.closeAfterDays ?? 0;
  const closesAt = input.latePolicy !== "close_after" ? null : closeAfterDays === 0 ? dueAt : shiftDays(dueAt, closeAfterDays, timeZone);
  const state: ItemState = now < dates.opensAt ? "locked" : closesAt && now >= closesAt ? "closed" : "open";
  const done = doneAt !== null;
  return {
    opensAt: dates.opensAt,
    dueAt,
    closesAt,
    extensionDays,
    state,
    done,
    doneAt,
    late: doneAt !== null && doneAt > dueAt,
    overdue: !done && now > dueAt,
  };
}

/** "Locked until Mon 8 Dec, 09:00 (Europe/Berlin)." — pass the clock's `now()` as `current`. */
export function lockedMessage(opensAt: Date, tz: string, current?: Date): string {
  return `Locked until ${formatInZone(opensAt, tz, current)} (${tz}).`;
}

/** "Closed since Mon 8 Dec, 09:00 (Europe/Berlin): the cohort no longer accepts work on it." */
export function closedMessage(closesAt: Date, tz: string, current?: Date): string {
  return `Closed since ${formatInZone(closesAt, tz, current)} (${tz}): the cohort no longer accepts work on it.`;
}
