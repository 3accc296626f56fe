import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { JoinCohortButton } from "~/components/join-cohort-button";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

/** "2026-12-07" → "Monday 7 December 2026": a cohort's start is a calendar day in its zone, not an instant. */
function calendarDay(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export default async function JoinCohort({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const api = await serverApi();
  const me = await api.auth.me();
  const here = `/join/${encodeURIComponent(code)}`;
  if (!me) {
    // The preview is for signed-in people only: the code alone does not reveal the cohort.
    return (
      <div className="card narrow stack">
        <h1>Join a cohort</h1>
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>Sign in</Link> or{" "}
          <Link href={`/sign-up?next=${encodeURIComponent(here)}`}>create an account</Link> to see this cohort and join it.
        </p>
      </div>
    );
  }
  const preview = await orRedirect(
    api.cohorts.previewJoin({ code }).catch((error: unknown) => {
      // A reset, switched-off or mistyped link: say so here instead of a bare 404.
      if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
      throw error;
    }),
  );
  if (!preview) {
    return (
      <div className="card narrow stack">
        <h1>Join a cohort</h1>
        <p role="alert" className="error">
          This invitation link does not work (any more): it may have been reset or switched off. Ask whoever sent it for a new one.
        </p>
      </div>
    );
  }
  return (
    <div className="card narrow stack">
      <h1>Join {preview.cohortName}</h1>
      <dl className="stack" aria-label="Cohort">
        <div>
          <dt className="muted">Organisation</dt>
          <dd>{preview.orgName}</dd>
        </div>
        <div>
          <dt className="muted">Course</dt>
          <dd>{preview.courseTitle}</dd>
        </div>
        <div>
          <dt className="muted">Starts</dt>
          <dd>{calendarDay(preview.startDate)}</dd>
        </div>
        <div>
          <dt className="muted">Ends</dt>
          <dd>{calendarDay(preview.endDate)}</dd>
        </div>
        <div>
          <dt className="muted">Seats</dt>
          <dd data-testid="seats-left">
            {preview.seatsLeft === null
              ? "No seat limit"
              : preview.full
                ? "Full"
                : `${preview.seatsLeft} seat${preview.seatsLeft === 1 ? "" : "s"} left`}
          </dd>
        </div>
      </dl>
      {preview.ended ? (
        <p role="alert" className="error">
          This cohort ended on {calendarDay(preview.endDate)} and takes no new learners. Ask whoever sent the link for a current cohort.
        </p>
      ) : preview.full ? (
        <p role="alert" className="error">
          This cohort is full. Ask whoever sent the link whether a seat can be added.
        </p>
      ) : (
        <JoinCohortButton code={code} cohortName={preview.cohortName} />
      )}
      <p className="muted">
        Joining makes you a learner in {preview.orgName} (if you are not a member yet), enrolls you in {preview.courseTitle}, and gives you the
        cohort's schedule.
      </p>
    </div>
  );
}
