import { findLab } from "@cookbook/content/labs";
import Link from "next/link";
import { now as clockNow } from "~/server/clock";
import type { DashboardScopeInput } from "~/server/dashboards/scope";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";
import type { RouterOutputs } from "~/trpc/react";
import { AttemptHistory } from "./attempt-history";
import { Moment } from "./moment";

type Learner = RouterOutputs["gradebook"]["learner"];
type TimelineEvent = Learner["timeline"]["events"][number];

const itemName = (i: { kind: "chapter" | "lab"; chapterNumber: number; title: string }) =>
  i.kind === "lab" ? `Lab: ${i.title}` : `Chapter ${i.chapterNumber}: ${i.title}`;

const statusText: Record<Learner["learner"]["status"], string> = {
  behind: "Behind",
  on_track: "On track",
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/** A timeline entry in words: "Completed 'Kafka basics'", "Started the lab Kafka basics", "Checked the lab …: 7/10". */
function eventText(e: TimelineEvent, lessonTitle: (key: string) => string): string {
  const lab = e.labSlug ? (findLab(e.labSlug)?.title ?? e.labSlug) : "a lab";
  switch (e.verb) {
    case "lesson_completed":
      return `Completed the lesson "${e.lessonKey ? lessonTitle(e.lessonKey) : "?"}"`;
    case "lab_started":
      return `Started the lab ${lab}`;
    case "lab_checked":
      return `Checked the lab ${lab}${e.score !== null && e.maxScore !== null ? `: ${e.score}/${e.maxScore}` : ""}`;
    default:
      return e.verb;
  }
}

/**
 * One learner as an instructor sees them in a scope: standing and at-risk reasons, their items
 * with dates, the timeline of what they did, every lab attempt with its step results, and (in a
 * cohort) their extensions. `lessonTitles` names the lessons of the timeline (keys otherwise).
 */
export async function GradebookLearnerView({
  scope,
  userId,
  backHref,
  lessonTitles,
}: {
  scope: DashboardScopeInput;
  userId: string;
  backHref: string;
  lessonTitles: ReadonlyMap<string, string>;
}) {
  const api = await serverApi();
  const data = await orRedirect(api.gradebook.learner({ scope, userId }));
  const now = clockNow().toISOString();
  const zone = data.scope.timeZone ?? "UTC";
  const { learner } = data;
  const items = new Map(data.items.map((i) => [i.key, itemName(i)]));
  const lessonTitle = (key: string) => lessonTitles.get(key) ?? key;
  return (
    <div className="stack">
      <p>
        <Link href={backHref}>← Gradebook of {data.scope.name}</Link>
      </p>
      <h1>{learner.displayName}</h1>
      <section aria-labelledby="standing-heading" className="card stack">
        <h2 id="standing-heading">Standing</h2>
        <dl>
          <dt>Email</dt>
          <dd>{learner.email}</dd>
          <dt>Enrolled</dt>
          <dd>
            <Moment at={learner.enrolledAt} zone={zone} now={now} />
          </dd>
          <dt>Status</dt>
          <dd>
            {statusText[learner.status]}
            {learner.overdue > 0 && `, ${learner.overdue} past due`}
            {learner.late > 0 && `, ${learner.late} done late`}
          </dd>
          <dt>Done</dt>
          <dd>
            {learner.done} of {learner.total} items
          </dd>
          <dt>Last active</dt>
          <dd>{learner.lastActiveAt ? <Moment at={learner.lastActiveAt} zone={zone} now={now} /> : "never"}</dd>
        </dl>
        {data.reasons.length > 0 && (
          <>
            <h3>At risk</h3>
            <ul>
              {data.reasons.map((r) => (
                <li key={`${r.code}:${r.text}`}>{r.text}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="items-heading" className="stack">
        <h2 id="items-heading">Items</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              {data.scope.kind === "cohort" && <th scope="col">Opens</th>}
              {data.scope.kind === "cohort" && <th scope="col">Due</th>}
              <th scope="col">Done</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((i) => (
              <tr key={i.key}>
                <td>
                  {itemName(i)}
                  {i.extensionDays > 0 && <span className="badge updated">+{i.extensionDays} days</span>}
                </td>
                {data.scope.kind === "cohort" && <td>{i.opensAt ? <Moment at={i.opensAt} zone={zone} now={now} /> : "—"}</td>}
                {data.scope.kind === "cohort" && <td>{i.dueAt ? <Moment at={i.dueAt} zone={zone} now={now} /> : "—"}</td>}
                <td>
                  {i.doneAt ? (
                    <>
                      <Moment at={i.doneAt} zone={zone} now={now} />
                      {i.late && <strong className="badge updated">late</strong>}
                    </>
                  ) : i.state === "locked" ? (
                    <span className="muted">not yet open</span>
                  ) : i.overdue ? (
                    <strong className="error">past due</strong>
                  ) : i.state === "closed" ? (
                    <span className="muted">closed</span>
                  ) : (
                    <span className="muted">not yet</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="timeline-heading" className="stack">
        <h2 id="timeline-heading">Timeline</h2>
        {data.timeline.events.length === 0 ? (
          <p className="muted">Nothing done yet.</p>
        ) : (
          <table>
            <caption className="muted" style={{ textAlign: "left" }}>
              Completions, lab starts and checks, newest first{data.timeline.more && ` (the latest ${data.timeline.events.length})`}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {data.timeline.events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Moment at={e.occurredAt} zone={zone} now={now} />
                  </td>
                  <td>{eventText(e, lessonTitle)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="attempts-heading" className="stack">
        <h2 id="attempts-heading">Lab attempts</h2>
        <AttemptHistory attempts={data.attempts} zone={zone} now={now} caption={`${learner.displayName}'s lab attempts, newest first`} />
      </section>

      {data.scope.kind === "cohort" && (
        <section aria-labelledby="extensions-heading" className="stack">
          <h2 id="extensions-heading">Extensions</h2>
          {data.extensions.length === 0 ? (
            <p className="muted">No extensions granted.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Extra time</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Granted</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {data.extensions.map((e) => (
                  <tr key={e.id}>
                    <td>{e.itemKey === null ? "Everything" : (items.get(e.itemKey) ?? e.itemKey)}</td>
                    <td>+{e.days === 1 ? "1 day" : `${e.days} days`}</td>
                    <td>{e.reason}</td>
                    <td>
                      <Moment at={e.createdAt} zone={zone} now={now} /> by {e.grantedByName ?? "a former member"}
                    </td>
                    <td>
                      {e.revokedAt ? (
                        <>
                          revoked <Moment at={e.revokedAt} zone={zone} now={now} />
                        </>
                      ) : (
                        "active"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
