import Link from "next/link";
import type { DashboardScopeInput } from "~/server/dashboards/scope";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";
import { BarChart } from "./charts/bar-chart";

/**
 * Where a scope's learners get stuck in labs: per lab, per step, how many attempted, passed,
 * failed at least once and failed first, the median attempts to pass, and the most frequent
 * findings (grouped by the check's finding code, not by the learner's numbers in the text).
 */
export async function LabFailuresView({ scope, backHref, title }: { scope: DashboardScopeInput; backHref: string; title: string }) {
  const api = await serverApi();
  const data = await orRedirect(api.insights.labFailures({ scope }));
  return (
    <div className="stack">
      <p>
        <Link href={backHref}>← Gradebook of {title}</Link>
      </p>
      <h1>Lab failure patterns</h1>
      <p className="muted">
        {title}: {data.learners === 1 ? "1 learner" : `${data.learners} learners`}. “Failed first” counts learners whose first graded attempt of the
        step failed.
      </p>
      {data.labs.length === 0 && <p className="muted">This course has no labs.</p>}
      {data.labs.map((lab) => {
        const headingId = `lab-${lab.slug}-heading`;
        const tried = lab.steps.filter((s) => s.attempted > 0);
        return (
          <section key={lab.slug} aria-labelledby={headingId} className="card stack">
            <h2 id={headingId}>{lab.title}</h2>
            {tried.length === 0 ? (
              <p className="muted">Nobody has checked this lab yet.</p>
            ) : (
              <>
                <ul>
                  {tried.map((s) => (
                    <li key={s.stepId}>{s.summary}</li>
                  ))}
                </ul>
                <BarChart
                  title={`${lab.title}: learners who failed each step first`}
                  categoryName="Step"
                  valueName="Failed first"
                  bars={lab.steps.map((s, i) => ({
                    key: s.stepId,
                    label: `${s.title} (${s.stepId})`,
                    short: `Step ${i + 1}`,
                    value: s.failedFirst,
                    detail: `of ${s.attempted} who attempted it`,
                  }))}
                />
              </>
            )}
            <div className="table-wrap">
              <table>
                <caption className="muted" style={{ textAlign: "left" }}>
                  Steps of {lab.title}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Attempted</th>
                    <th scope="col">Passed</th>
                    <th scope="col">Failed at least once</th>
                    <th scope="col">Failed first</th>
                    <th scope="col">Median attempts to pass</th>
                    <th scope="col">Most common failures</th>
                  </tr>
                </thead>
                <tbody>
                  {lab.steps.map((s) => (
                    <tr key={s.stepId}>
                      <th scope="row" style={{ fontWeight: 400 }}>
                        {s.title} <code>{s.stepId}</code>
                        {!s.current && <span className="badge">no longer in the lab</span>}
                      </th>
                      <td>{s.attempted}</td>
                      <td>{s.passed}</td>
                      <td>{s.failedAtLeastOnce}</td>
                      <td>{s.failedFirst}</td>
                      <td>{s.medianAttemptsToPass === null ? "—" : s.medianAttemptsToPass}</td>
                      <td>
                        {s.topFindings.length === 0 ? (
                          <span className="muted">—</span>
                        ) : (
                          <ul className="plain">
                            {s.topFindings.map((f) => (
                              <li key={f.finding}>
                                {f.example} <span className="muted">({f.count === 1 ? "once" : `${f.count} times`})</span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
