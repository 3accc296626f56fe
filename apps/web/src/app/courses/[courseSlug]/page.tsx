import Link from "next/link";
import { EnrollButton } from "~/components/course-actions";
import { LabMark } from "~/components/lab-mark";
import { ItemBadges } from "~/components/learner-item-badges";
import { Moment } from "~/components/moment";
import { ProgressBar } from "~/components/progress-bar";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

const statusMark = { completed: "✓", updated: "↻", not_started: "" } as const;

export default async function CourseOutline({ params }: { params: Promise<{ courseSlug: string }> }) {
  const { courseSlug } = await params;
  const api = await serverApi();
  const outline = await orRedirect(api.courses.outline({ courseSlug }));
  const parts = groupByPart(outline.chapters);
  const { cohort } = outline;
  const at = now();
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
      {cohort && (
        <p className="muted" data-testid="outline-cohort">
          You learn this course in the cohort <strong>{cohort.name}</strong>: chapters open and are due on its schedule, in {cohort.timeZone} time.
        </p>
      )}
      <ProgressBar completed={outline.completed} total={outline.total} label="Course progress" />
      {outline.chapters.some((c) => c.lessons.some((l) => l.labs.length > 0)) && (
        <p>
          <Link href={`/courses/${courseSlug}/labs`}>All labs of this course</Link>
        </p>
      )}
      {parts.map(({ number, title, chapters }) => (
        <section key={number} className="part">
          <h2>
            Part {toRoman(number)}: {title}
          </h2>
          {chapters.map((chapter) => (
            <details
              key={chapter.number}
              className="card chapter"
              open={chapter.completed > 0 && chapter.completed < chapter.total}
              data-state={chapter.schedule?.state}
              aria-label={`Chapter ${chapter.number}: ${chapter.title}${chapter.schedule?.state === "locked" ? " (locked)" : ""}`}
            >
              <summary>
                <span>
                  <span>
                    {chapter.number}. {chapter.title}
                  </span>
                  {chapter.schedule && <ItemBadges item={chapter.schedule} />}
                  {chapter.schedule && cohort && <ChapterDates schedule={chapter.schedule} zone={cohort.timeZone} now={at} />}
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
                    <LabMark labs={lesson.labs} />
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

type Schedule = NonNullable<Awaited<ReturnType<Awaited<ReturnType<typeof serverApi>>["courses"]["outline"]>>["chapters"][number]["schedule"]>;

/** The chapter's dates in the cohort: when it opens, when it is due (extensions included), and when it closes. */
function ChapterDates({ schedule, zone, now }: { schedule: Schedule; zone: string; now: Date }) {
  return (
    <span className="muted" style={{ display: "block", fontWeight: 400 }} data-testid="chapter-dates">
      {schedule.state === "locked" ? "Opens" : "Opened"} <Moment at={schedule.opensAt} zone={zone} now={now} /> · Due{" "}
      <Moment at={schedule.dueAt} zone={zone} now={now} />
      {schedule.closesAt && schedule.state !== "closed" && !schedule.done && (
        <>
          {" "}
          · Closes <Moment at={schedule.closesAt} zone={zone} now={now} />
        </>
      )}
      {schedule.closesAt && schedule.state === "closed" && (
        <>
          {" "}
          · Closed since <Moment at={schedule.closesAt} zone={zone} now={now} />
        </>
      )}
    </span>
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
