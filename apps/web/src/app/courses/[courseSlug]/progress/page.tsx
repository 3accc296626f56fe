import Link from "next/link";
import { LabSandboxes } from "~/components/lab-sandboxes";
import { ProgressBar } from "~/components/progress-bar";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function CourseProgress({ params }: { params: Promise<{ courseSlug: string }> }) {
  const { courseSlug } = await params;
  const api = await serverApi();
  const outline = await orRedirect(api.courses.outline({ courseSlug }));
  const report = await orRedirect(api.courses.progress({ courseId: outline.course.id }));
  const labs = await orRedirect(api.labs.overview({ courseId: outline.course.id }));
  const scoresOf = (userId: string) => labs.scores.filter((s) => s.userId === userId);
  return (
    <div className="stack">
      <Link href={`/courses/${courseSlug}`}>← {report.course.title}</Link>
      <h1>Learners&apos; progress</h1>
      <p className="muted">
        Edition {report.edition} · {report.total} lessons
      </p>
      <p>
        <Link href={`/courses/${courseSlug}/gradebook`}>Gradebook of the self-paced learners</Link>
      </p>
      <table>
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            <th>Progress</th>
            <th>Labs</th>
            <th>Last active</th>
          </tr>
        </thead>
        <tbody>
          {report.members.map((m) => (
            <tr key={m.userId}>
              <td>
                {m.displayName}
                <div className="muted">{m.email}</div>
              </td>
              <td>{m.role}</td>
              <td>
                {m.enrolled ? (
                  <ProgressBar completed={m.completed} total={report.total} label={`${m.displayName} progress`} />
                ) : (
                  <span className="muted">not enrolled</span>
                )}
              </td>
              <td>
                {scoresOf(m.userId).length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul className="plain" aria-label={`${m.displayName} lab scores`}>
                    {scoresOf(m.userId).map((s) => (
                      <li key={s.labSlug}>
                        {s.labTitle}: {s.bestScore}/{s.maxScore}
                        <span className="muted">
                          {" "}
                          ({s.attempts} {s.attempts === 1 ? "check" : "checks"})
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{m.lastVisitedAt ? m.lastVisitedAt.toISOString().slice(0, 16).replace("T", " ") : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LabSandboxes sandboxes={labs.sandboxes} runnerMessage={labs.runnerMessage} />
    </div>
  );
}
