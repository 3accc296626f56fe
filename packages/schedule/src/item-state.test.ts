import { describe, expect, test } from "vitest";
import type { ItemDates } from "./compute-schedule";
import { closedMessage, itemStatus, lockedMessage } from "./item-state";

const BERLIN = "Europe/Berlin";
const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

// Opens Mon 7 Dec 09:00, due Mon 14 Dec 09:00 Berlin time.
const dates: ItemDates = { key: "chapter:1", opensAt: new Date("2026-12-07T08:00:00Z"), dueAt: new Date("2026-12-14T08:00:00Z"), overridden: false };

type Input = Parameters<typeof itemStatus>[0];
const status = (input: Partial<Input>) =>
  itemStatus({
    dates,
    extensionDays: 0,
    doneAt: null,
    now: dates.opensAt,
    timeZone: BERLIN,
    latePolicy: "accept_late",
    closeAfterDays: null,
    ...input,
  });

describe("itemStatus: state", () => {
  test("locked until the opening instant, open from it", () => {
    expect(status({ now: ms(dates.opensAt, -1) }).state).toBe("locked");
    expect(status({ now: dates.opensAt }).state).toBe("open");
  });

  test("accept_late never closes", () => {
    const result = status({ now: new Date("2030-01-01T00:00:00Z") });
    expect(result.closesAt).toBeNull();
    expect(result.state).toBe("open");
  });

  test("close_after closes closeAfterDays after the due time, exactly at the instant", () => {
    const closing = { latePolicy: "close_after" as const, closeAfterDays: 2 };
    const closesAt = new Date("2026-12-16T08:00:00Z");
    expect(status({ ...closing }).closesAt).toEqual(closesAt);
    expect(status({ ...closing, now: ms(closesAt, -1) }).state).toBe("open");
    expect(status({ ...closing, now: closesAt }).state).toBe("closed");
  });

  test("close_after with 0 days closes at the due time", () => {
    const result = status({ latePolicy: "close_after", closeAfterDays: 0, now: dates.dueAt });
    expect(result.closesAt).toEqual(dates.dueAt);
    expect(result.state).toBe("closed");
  });

  test("an item that would already be closed is still locked before it opens", () => {
    const backwards: ItemDates = { ...dates, dueAt: ms(dates.opensAt, -86_400_000) };
    expect(status({ dates: backwards, latePolicy: "close_after", closeAfterDays: 0, now: ms(dates.opensAt, -1) }).state).toBe("locked");
  });
});

describe("itemStatus: done, late, overdue", () => {
  test("overdue only strictly after the due instant and only while not done", () => {
    expect(status({ now: dates.dueAt }).overdue).toBe(false);
    expect(status({ now: ms(dates.dueAt, 1) }).overdue).toBe(true);
    expect(status({ now: ms(dates.dueAt, 1), doneAt: ms(dates.dueAt, 1) }).overdue).toBe(false);
  });

  test("late only when done strictly after the due instant", () => {
    const onTime = status({ doneAt: dates.dueAt, now: ms(dates.dueAt, 5) });
    expect(onTime).toMatchObject({ done: true, doneAt: dates.dueAt, late: false, overdue: false });
    expect(status({ doneAt: ms(dates.dueAt, 1), now: ms(dates.dueAt, 5) }).late).toBe(true);
  });

  test("not done: done false, doneAt null, never late", () => {
    expect(status({ now: ms(dates.dueAt, 1) })).toMatchObject({ done: false, doneAt: null, late: false, overdue: true });
  });

  test("reports the dates it used", () => {
    expect(status({})).toEqual({
      opensAt: dates.opensAt,
      dueAt: dates.dueAt,
      closesAt: null,
      extensionDays: 0,
      state: "open",
      done: false,
      doneAt: null,
      late: false,
      overdue: false,
    });
  });
});

describe("itemStatus: extensions", () => {
  // Due Fri 27 Mar 2026 09:00 CET; clocks go forward on Sunday the 29th.
  const beforeDst: ItemDates = {
    key: "lab:roux",
    opensAt: new Date("2026-03-20T08:00:00Z"),
    dueAt: new Date("2026-03-27T08:00:00Z"),
    overridden: false,
  };

  test("an extension across the DST change keeps 09:00 local and moves closesAt with it", () => {
    const result = status({ dates: beforeDst, extensionDays: 3, latePolicy: "close_after", closeAfterDays: 1, now: beforeDst.dueAt });
    expect(result.dueAt).toEqual(new Date("2026-03-30T07:00:00Z"));
    expect(result.closesAt).toEqual(new Date("2026-03-31T07:00:00Z"));
    expect(result.extensionDays).toBe(3);
    expect(result.opensAt).toEqual(beforeDst.opensAt);
  });

  test("the extended due time decides overdue, late and closed", () => {
    const extendedDue = new Date("2026-03-30T07:00:00Z");
    const base = { dates: beforeDst, extensionDays: 3, latePolicy: "close_after" as const, closeAfterDays: 0 };
    expect(status({ ...base, now: ms(beforeDst.dueAt, 1) })).toMatchObject({ overdue: false, state: "open" });
    expect(status({ ...base, now: ms(extendedDue, 1) })).toMatchObject({ overdue: true, state: "closed" });
    expect(status({ ...base, now: ms(extendedDue, -1) }).state).toBe("open");
    expect(status({ ...base, doneAt: extendedDue, now: extendedDue }).late).toBe(false);
    expect(status({ ...base, doneAt: ms(extendedDue, 1), now: extendedDue }).late).toBe(true);
  });
});

describe("messages", () => {
  const current = new Date("2026-12-02T09:00:00Z");

  test("locked and closed name the local time and the zone", () => {
    expect(lockedMessage(new Date("2026-12-08T08:00:00Z"), BERLIN, current)).toBe("Locked until Tue 8 Dec, 09:00 (Europe/Berlin).");
    expect(closedMessage(new Date("2026-12-08T08:00:00Z"), "America/New_York", current)).toBe(
      "Closed since Tue 8 Dec, 03:00 (America/New_York): the cohort no longer accepts work on it.",
    );
    expect(lockedMessage(new Date("2027-01-04T08:00:00Z"), BERLIN, current)).toBe("Locked until Mon 4 Jan 2027, 09:00 (Europe/Berlin).");
  });
});
