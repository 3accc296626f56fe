import Link from "next/link";
import type { serverApi } from "~/server/trpc/server-caller";
import { ItemBadges, itemLabel } from "./learner-item-badges";
import { Moment } from "./moment";

// The server caller's answers (Dates as Dates): this component renders on the server.
type Api = Awaited<ReturnType<typeof serverApi>>;
type Week = Awaited<ReturnType<Api["week"]["mine"]>>[number];
type WeekItem = Week["openNow"][number];
type Announcement = Awaited<ReturnType<Api["announcements"]["mine"]>>[number];
type Extension = Awaited<ReturnType<Api["extensions"]["mine"]>>[number];

function ItemList({ id, label, items, empty, zone, now }: { id: string; label: string; items: WeekItem[]; empty: string; zone: string; now: Date }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{label}</h3>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain lesson-list">
          {items.map((item) => (
            <li key={item.key} data-item={item.key}>
              <Link href={item.href}>{itemLabel(item)}</Link>
              <span className="muted">
                · Due <Moment at={item.dueAt} zone={zone} now={now} />
              </span>
              <ItemBadges item={item} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * A cohort learner's week on the home page: what is open, what is due in the next seven days,
 * what is overdue, their extensions and the cohort's announcements. Times are shown in the
 * cohort's zone (plus the viewer's own), because that is where the deadlines are set.
 */
export function LearnerWeek({
  week,
  announcements,
  extensions,
  now,
}: {
  week: Week;
  announcements: Announcement[];
  extensions: Extension[];
  now: Date;
}) {
  const { cohort } = week;
  const zone = cohort.timeZone;
  const headingId = `week-${cohort.id}`;
  return (
    <section className="card stack" aria-labelledby={headingId} data-testid="learner-week">
      <div>
        <h2 id={headingId} style={{ marginTop: 0 }}>
          This week in {cohort.name}
        </h2>
        <p className="muted">
          <Link href={`/courses/${cohort.courseSlug}`}>{cohort.courseTitle}</Link> · times in {zone}
        </p>
      </div>
      <ItemList id={`${headingId}-open`} label="Open now" items={week.openNow} empty="Nothing is open right now." zone={zone} now={now} />
      <ItemList
        id={`${headingId}-due`}
        label="Due in the next 7 days"
        items={week.dueSoon}
        empty="Nothing is due in the next 7 days."
        zone={zone}
        now={now}
      />
      <ItemList id={`${headingId}-overdue`} label="Overdue" items={week.overdue} empty="Nothing is overdue." zone={zone} now={now} />
      {extensions.length > 0 && (
        <section aria-labelledby={`${headingId}-extensions`}>
          <h3 id={`${headingId}-extensions`}>Your extensions</h3>
          <ul className="plain">
            {extensions.map((e) => (
              <li key={e.id}>
                +{e.days} day{e.days === 1 ? "" : "s"} on {e.itemTitle ?? "every item"}
                {e.reason && <span className="muted"> — {e.reason}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby={`${headingId}-announcements`}>
        <h3 id={`${headingId}-announcements`}>Announcements</h3>
        {announcements.length === 0 ? (
          <p className="muted">No announcements yet.</p>
        ) : (
          <ul className="plain stack">
            {announcements.map((a) => (
              <li key={a.id}>
                <article aria-labelledby={`announcement-${a.id}`}>
                  <h4 id={`announcement-${a.id}`}>{a.title}</h4>
                  <p className="muted">
                    {a.authorName ?? "A former member"} · <Moment at={a.createdAt} zone={zone} now={now} />
                  </p>
                  <p style={{ whiteSpace: "pre-wrap" }}>{a.body}</p>
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
