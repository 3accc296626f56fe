import { CalendarFeedActions } from "~/components/calendar-feed-actions";
import { DeleteAccountForm, DownloadDataButton } from "~/components/data-rights-actions";
import { Moment } from "~/components/moment";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Account() {
  const api = await serverApi();
  const [me, { memberships }, feed] = await Promise.all([api.auth.me(), orRedirect(api.orgs.list()), orRedirect(api.calendar.feed())]);
  if (!me) return null;
  return (
    <div className="stack">
      <h1>Your account</h1>
      <p>
        {me.displayName} · {me.email} · member of {memberships.length} organisation{memberships.length === 1 ? "" : "s"}
      </p>
      <section className="card stack" aria-labelledby="calendar-feed">
        <h2 id="calendar-feed">Calendar feed</h2>
        <p className="muted">
          A private address your calendar app (Google Calendar, Apple Calendar, Outlook…) can subscribe to. It lists the due dates of every cohort you
          learn in, in every organisation, extensions included, and follows changes to the schedules. Anyone with the address can read it: reset it if
          it leaks.
        </p>
        <p data-testid="calendar-feed-state">
          {feed.exists && feed.createdAt ? (
            <>
              {/* The feed belongs to no cohort, so no cohort's zone: UTC, with the viewer's own time beside it. */}
              You have a calendar feed, made <Moment at={feed.createdAt} zone="UTC" now={now()} />.
            </>
          ) : (
            "You have no calendar feed."
          )}
        </p>
        <CalendarFeedActions exists={feed.exists} />
      </section>
      <div className="card stack">
        <h2>Your data</h2>
        <p className="muted">
          A JSON file with your profile, memberships, enrollments, progress, lab sandboxes and attempts in every organisation, and your sessions (when
          they expire; not their keys). Not your password.
        </p>
        <DownloadDataButton what="account" />
      </div>
      <DeleteAccountForm />
    </div>
  );
}
