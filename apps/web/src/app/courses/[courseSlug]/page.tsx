import Link from "next/link";
import { EnrollButton } from "~/components/course-actions";
import { ProgressBar } from "~/components/progress-bar";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

const statusMark = { completed: "✓", updated: "↻", not_started: "" } as const;

export default async function CourseOutline({ params }: { params: Promise<{ courseSlug: string }> }) {
  const { courseSlug } = await params;
  const api = await serverApi();
  const outline = await orRedirect(api.courses.outline({ courseSlug }));
  const parts = groupByPart(outline.chapters);
  return (
    <div className="stack">
      <div className="row">
        <div>
          <h1>{outline.course.title}</h1>
          <p className="muted">Edition {outline.edition}</p>
        </div>
        {outline.enrolled ? (
          outline.continueKey && (
            <Link className="button" href={`/courses/${courseSlug}/${outline.continueKey}`}>
              Continue
            </Link>
          )
        ) : (
          <EnrollButton courseId={outline.course.id} />
        )}
      </div>
      <ProgressBar completed={outline.completed} total={outline.total} label="Course progress" />
      {parts.map(({ number, title, chapters }) => (
        <section key={number} className="part">
          <h2>
            Part {toRoman(number)}: {title}
          </h2>
          {chapters.map((chapter) => (
            <details key={chapter.number} className="card chapter" open={chapter.completed > 0 && chapter.completed < chapter.total}>
              <summary>
                <span>
                  {chapter.number}. {chapter.title}
                </span>
                <span className="muted" role="img" aria-label={`Chapter ${chapter.number} progress`}>
                  {chapter.completed}/{chapter.total}
                </span>
              </summary>
              {chapter.hasIntro && (
                <p>
                  <Link href={`/courses/${courseSlug}/chapters/${chapter.number}`}>Chapter introduction</Link>
                </p>
              )}
              <ol className="lesson-list">
                {chapter.lessons.map((lesson) => (
                  <li key={lesson.key} className={`depth-${lesson.depth}`} data-status={lesson.status}>
                    <Link href={`/courses/${courseSlug}/${lesson.key}`}>
                      {lesson.number} {lesson.title}
                    </Link>
                    {lesson.outline && <span className="badge">outline</span>}
                    {lesson.status === "updated" && <span className="badge updated">updated</span>}
                    <span className="status" role="img" aria-label={lesson.status.replace("_", " ")}>
                      {statusMark[lesson.status]}
                    </span>
                  </li>
                ))}
              </ol>
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}

function groupByPart<C extends { partNumber: number; partTitle: string }>(chapters: C[]) {
  const parts: { number: number; title: string; chapters: C[] }[] = [];
  for (const chapter of chapters) {
    const last = parts.at(-1);
    if (last?.number === chapter.partNumber) last.chapters.push(chapter);
    else parts.push({ number: chapter.partNumber, title: chapter.partTitle, chapters: [chapter] });
  }
  return parts;
}

function toRoman(n: number): string {
  return ["", "I", "II", "III", "IV", "V", "VI"][n] ?? String(n);
}
