import Link from "next/link";
import { AttemptHistory } from "~/components/attempt-history";
import { BarChart } from "~/components/charts/bar-chart";
import { Moment } from "~/components/moment";
import { ProgressBar } from "~/components/progress-bar";
import { now as clockNow } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

/** "1 h 5 min", "12 min": time in labs as people say it. */
function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const itemName = (i: { kind: "chapter" | "lab"; chapterNumber: number; title: string }) =>
  i.kind === "lab" ? `Lab: ${i.title}` : `Chapter ${i.chapterNumber}: ${i.title}`;

/** The learner's own dashboard: one course at a time (?courseId=…, else the one visited last). */
export default async function MyProgressPage({ searchParams }: { searchParams: Promise<{ courseId?: string | string[] }> }) {
  const { courseId } = await searchParams;
  const api = await serverApi();
  const data = await orRedirect(api.myProgress.dashboard(typeof courseId === "string" ? { courseId } : {}));
  const now = clockNow().toISOString();
  if (!data.course) {
    return (
      <div className="stack">
        <h1>My progress</h1>
        <p className="muted">
          You are not enrolled in a course yet. <Link href="/home">Find one to start</Link>.
        </p>
      </div>
    );
  }
  const { course, chapters, schedule, labTime } = data;
  const zone = schedule?.timeZone ?? "UTC";
  const percent = (c: { completed: number; total: number }) => (c.total === 0 ? 0 : Math.round((c.completed / c.total) * 100));
  const withLessons = chapters.filter((c) => c.total > 0);
  return (
    <div className="stack">
      <h1>My progress</h1>
      {data.courses.length > 1 && (
        <nav aria-label="Courses">
          <ul className="plain" style={{ display: "flex", gap: "1rem", flexWrap: "wrap" }}>
            {data.courses.map((c) => (
              <li key={c.id}>
                {c.id === course.id ? (
                  <strong aria-current="page">{c.title}</strong>
                ) : (
                  <Link href={`/progress?courseId=${encodeURIComponent(c.id)}`}>{c.title}</Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
      )}
      <p>
        <Link href={`/courses/${course.slug}`}>{course.title}</Link>
        <span className="muted"> · edition {course.edition}</span>
        {schedule && <span className="muted"> · cohort {schedule.cohortName}</span>}
      </p>
      <ProgressBar completed={data.completed} total={data.total} label={`${course.title} progress`} />

      <section aria-labelledby="chapters-heading" className="stack">
        <h2 id="chapters-heading">Progress per chapter</h2>
        {withLessons.length === 0 ? (
          <p className="muted">This edition has no lessons to complete.</p>
        ) : (
          <>
            <BarChart
              title="Lessons done per chapter (%)"
              categoryName="Chapter"
              valueName="Done (%)"
              max={100}
              format={(n) => `${n}%`}
              bars={withLessons.map((c) => ({
                key: String(c.number),
                label: `Chapter ${c.number}: ${c.title}`,
                short: String(c.number),
                value: percent(c),
                detail: `${c.completed} of ${c.total} lessons`,
              }))}
            />
            <table>
              <caption className="muted" style={{ textAlign: "left" }}>
                Lessons done per chapter
              </caption>
              <thead>
                <tr>
                  <th scope="col">Chapter</th>
                  <th scope="col">Done</th>
                </tr>
              </thead>
              <tbody>
                {withLessons.map((c) => (
                  <tr key={c.number}>
                    <th scope="row" style={{ fontWeight: 400 }}>
                      {c.number}. {c.title}
                    </th>
                    <td>
                      <ProgressBar completed={c.completed} total={c.total} label={`Chapter ${c.number} progress`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      {schedule && (
        <section aria-labelledby="due-heading" className="stack">
          <h2 id="due-heading">Due and late</h2>
          {schedule.due.length === 0 ? (
            <p className="muted">Nothing open is waiting for you.</p>
          ) : (
            <table>
              <caption className="muted" style={{ textAlign: "left" }}>
                Due, soonest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Due</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {schedule.due.map((i) => (
                  <tr key={i.key}>
                    <td>
                      <Link href={i.path}>{itemName(i)}</Link>
                    </td>
                    <td>
                      <Moment at={i.dueAt} zone={zone} now={now} />
                      {i.extensionDays > 0 && <span className="badge updated">+{i.extensionDays} days extension</span>}
                    </td>
                    <td>{i.overdue ? <strong className="error">Past due</strong> : i.state === "closed" ? "Closed" : "Open"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {schedule.late.length > 0 && (
            <table>
              <caption className="muted" style={{ textAlign: "left" }}>
                Done late
              </caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Was due</th>
                </tr>
              </thead>
              <tbody>
                {schedule.late.map((i) => (
                  <tr key={i.key}>
                    <td>
                      <Link href={i.path}>{itemName(i)}</Link>
                    </td>
                    <td>
                      <Moment at={i.dueAt} zone={zone} now={now} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <section aria-labelledby="lab-time-heading" className="stack">
        <h2 id="lab-time-heading">Time in labs</h2>
        <p>
          {labTime.minutes === 0 ? "No time in labs yet." : `${duration(labTime.minutes)} in all.`}{" "}
          <span className="muted">From each sandbox's start to its end or its last activity, whichever came first.</span>
        </p>
        {labTime.labs.length > 0 && (
          <ul className="plain">
            {labTime.labs.map((l) => (
              <li key={l.labSlug}>
                {l.title}: {duration(l.minutes)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="attempts-heading" className="stack">
        <h2 id="attempts-heading">Lab attempts</h2>
        <AttemptHistory attempts={data.attempts} zone={zone} now={now} caption="My lab attempts, newest first" />
      </section>
    </div>
  );
}
