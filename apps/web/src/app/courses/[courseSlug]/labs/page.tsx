import { serviceTitle } from "@cookbook/lab-runner-api/vocabulary";
import Link from "next/link";
import { Moment } from "~/components/moment";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

type Catalog = Awaited<ReturnType<Awaited<ReturnType<typeof serverApi>>["labs"]["catalog"]>>;
type Row = Catalog["labs"][number];

/** The learner's standing in a lab: "Not started", "In progress — best 5/8", "Done 8/8", "Locked until …". */
function LabStatus({ row, zone, at }: { row: Row; zone: string | null; at: Date }) {
  switch (row.status) {
    case "locked":
      return row.schedule && zone ? (
        <>
          🔒 Locked until <Moment at={row.schedule.opensAt} zone={zone} now={at} />
        </>
      ) : (
        <>🔒 Locked</>
      );
    case "done":
      return (
        <strong>
          ✓ Done {row.best?.score ?? row.lab.maxScore}/{row.best?.maxScore ?? row.lab.maxScore}
        </strong>
      );
    case "in_progress":
      return (
        <>
          In progress — best {row.best?.score ?? 0}/{row.best?.maxScore ?? row.lab.maxScore}
        </>
      );
    default:
      return <span className="muted">Not started</span>;
  }
}

/** Every lab of the course, lesson by lesson, with where the learner is in each; each row leads to its lesson. */
export default async function CourseLabsPage({ params }: { params: Promise<{ courseSlug: string }> }) {
  const { courseSlug } = await params;
  const api = await serverApi();
  const { course, edition, cohort, labs } = await orRedirect(api.labs.catalog({ courseSlug }));
  const zone = cohort?.timeZone ?? null;
  const at = now();
  const done = labs.filter((l) => l.status === "done").length;
  return (
    <div className="stack">
      <p>
        <Link href={`/courses/${course.slug}`}>← {course.title}</Link>
      </p>
      <div>
        <h1>Labs</h1>
        <p className="muted">
          Edition {edition} · {labs.length === 1 ? "1 lab" : `${labs.length} labs`}
          {labs.length > 0 && `, ${done} done`}
          {cohort && ` · labs open on the schedule of the cohort ${cohort.name}, in ${cohort.timeZone} time`}
        </p>
      </div>
      {labs.length === 0 ? (
        <p className="muted">This course has no labs.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted" style={{ textAlign: "left" }}>
              The labs of {course.title}, in the order of their lessons
            </caption>
            <thead>
              <tr>
                <th scope="col">Lesson</th>
                <th scope="col">Lab</th>
                <th scope="col">Services</th>
                <th scope="col">Steps</th>
                <th scope="col">Points</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {labs.map((row) => (
                <tr key={row.lab.slug} data-testid="course-lab" data-status={row.status}>
                  <td>
                    <Link href={`/courses/${course.slug}/${row.lesson.key}`}>
                      {row.lesson.number} {row.lesson.title}
                    </Link>
                  </td>
                  <td>
                    <Link href={`/courses/${course.slug}/${row.lesson.key}#lab-${row.lab.slug}-title`}>{row.lab.title}</Link>
                  </td>
                  <td>{row.lab.services.map(serviceTitle).join(", ")}</td>
                  <td>{row.lab.steps}</td>
                  <td>{row.lab.maxScore}</td>
                  <td>
                    <LabStatus row={row} zone={zone} at={at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
