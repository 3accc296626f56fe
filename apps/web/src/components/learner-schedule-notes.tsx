import type { serverApi } from "~/server/trpc/server-caller";
import { ItemBadges } from "./learner-item-badges";
import { Moment } from "./moment";

type Api = Awaited<ReturnType<typeof serverApi>>;
type Schedule = NonNullable<Awaited<ReturnType<Api["courses"]["outline"]>>["chapters"][number]["schedule"]>;

/** In place of a locked lesson's or chapter's text: the server's sentence saying when it opens. */
export function LockedPanel({ message, what }: { message: string; what: "lesson" | "chapter" }) {
  return (
    <div className="notice" role="status" aria-label="Locked" data-testid="locked-panel">
      <p>
        <strong>🔒 {message}</strong>
      </p>
      <p className="muted">
        {what === "lesson" ? "This lesson's text appears" : "This chapter's introduction appears"} when your cohort's schedule opens the chapter.
      </p>
    </div>
  );
}

/**
 * A cohort learner's standing on the chapter of the page: due when (extension included),
 * and the notes that change what they can do: closed (work refused), overdue, completed late.
 * A locked chapter has its own panel instead.
 */
export function ChapterScheduleNotes({ schedule, zone, now }: { schedule: Schedule; zone: string; now: Date }) {
  if (schedule.state === "locked") return null;
  return (
    <>
      <p className="muted" data-testid="chapter-due">
        Chapter due <Moment at={schedule.dueAt} zone={zone} now={now} />
        <ItemBadges item={schedule} />
      </p>
      {schedule.state === "closed" && schedule.closesAt && (
        <p className="notice" role="status" data-testid="closed-note">
          Closed since <Moment at={schedule.closesAt} zone={zone} now={now} />: the cohort no longer accepts work on it.
        </p>
      )}
      {schedule.state !== "closed" && schedule.overdue && (
        <p className="notice" data-testid="overdue-note">
          Overdue: this chapter was due <Moment at={schedule.dueAt} zone={zone} now={now} />. You can still complete it
          {schedule.closesAt ? (
            <>
              {" "}
              until <Moment at={schedule.closesAt} zone={zone} now={now} />
            </>
          ) : null}
          ; it will count as late.
        </p>
      )}
      {schedule.done && schedule.late && (
        <p className="notice" data-testid="late-note">
          Completed late: the chapter was due <Moment at={schedule.dueAt} zone={zone} now={now} />.
        </p>
      )}
    </>
  );
}
