import Link from "next/link";
import { BarChart } from "~/components/charts/bar-chart";
import { FunnelChart } from "~/components/charts/funnel-chart";
import { LineChart } from "~/components/charts/line-chart";
import styles from "~/components/dashboards.module.css";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

/** Week starts are ISO dates (Monday, UTC): "23 Nov" on the axis, "Week of 23 Nov 2026" in the table. */
const short = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const long = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const weekPoint = (w: { weekStart: string; value: number }) => {
  const day = new Date(`${w.weekStart}T00:00:00Z`);
  return { key: w.weekStart, short: short.format(day), label: `Week of ${long.format(day)}`, value: w.value };
};

const roleNames = { owner: "Owners", instructor: "Instructors", learner: "Learners" } as const;

/** The owner's view of the organisation: activity over the last 12 weeks, members, seats, sandboxes, and a funnel per course. */
export default async function InsightsPage() {
  const api = await serverApi();
  const data = await orRedirect(api.insights.organisation());
  const roles = Object.entries(data.membersPerRole) as [keyof typeof roleNames, number][];
  return (
    <div className="stack">
      <h1>Insights</h1>
      <p className="muted">Live from the organisation&apos;s own tables; weeks are ISO weeks (Monday to Sunday, UTC).</p>

      <section aria-labelledby="now-heading" className="stack">
        <h2 id="now-heading">Now</h2>
        <div className={styles.figures}>
          <div className="card">
            <p className={styles.figure}>{data.sandboxesRunning}</p>
            <p className="muted">{data.sandboxesRunning === 1 ? "sandbox running" : "sandboxes running"}</p>
          </div>
          {roles.map(([role, n]) => (
            <div key={role} className="card">
              <p className={styles.figure}>{n}</p>
              <p className="muted">{roleNames[role] ?? role}</p>
            </div>
          ))}
        </div>
      </section>

      <section aria-labelledby="active-heading" className="stack">
        <h2 id="active-heading">Active learners per week</h2>
        <LineChart
          title="Active learners per week"
          categoryName="Week"
          valueName="Active learners"
          points={data.activeLearnersPerWeek.map(weekPoint)}
        />
      </section>

      <section aria-labelledby="completions-heading" className="stack">
        <h2 id="completions-heading">Lesson completions per week</h2>
        <BarChart title="Lesson completions per week" categoryName="Week" valueName="Completions" bars={data.completionsPerWeek.map(weekPoint)} />
      </section>

      <section aria-labelledby="lab-hours-heading" className="stack">
        <h2 id="lab-hours-heading">Lab hours per week</h2>
        <BarChart
          title="Lab hours per week"
          categoryName="Week"
          valueName="Hours"
          format={(n) => (Number.isInteger(n) ? String(n) : n.toFixed(1))}
          bars={data.labHoursPerWeek.map(weekPoint)}
        />
      </section>

      <section aria-labelledby="seats-heading" className="stack">
        <h2 id="seats-heading">Cohort seats</h2>
        {data.cohortSeats.length === 0 ? (
          <p className="muted">No cohorts yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Seats used</th>
                <th scope="col">Limit</th>
              </tr>
            </thead>
            <tbody>
              {data.cohortSeats.map((c) => (
                <tr key={c.cohortId}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    <Link href={`/cohorts/${c.cohortId}`}>{c.name}</Link>
                  </th>
                  <td>
                    {c.used}
                    {c.limit !== null && c.used >= c.limit && <span className="badge updated">full</span>}
                  </td>
                  <td>{c.limit === null ? <span className="muted">no limit</span> : c.limit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="funnel-heading" className="stack">
        <h2 id="funnel-heading">Completion funnel</h2>
        <p className="muted">Per course: of the members enrolled, how many completed at least one lesson of each part.</p>
        {data.completionFunnel.length === 0 && <p className="muted">The organisation has no courses yet.</p>}
        {data.completionFunnel.map((course) => (
          <div key={course.courseId} className="card stack">
            <h3>{course.title}</h3>
            <FunnelChart
              title={`${course.title}: learners per part`}
              valueName="Learners"
              stages={[
                { key: "enrolled", label: "Enrolled", value: course.enrolled },
                ...course.parts.map((p) => ({ key: String(p.partNumber), label: `Part ${p.partNumber}: ${p.title}`, value: p.learners })),
              ]}
            />
          </div>
        ))}
      </section>
    </div>
  );
}
