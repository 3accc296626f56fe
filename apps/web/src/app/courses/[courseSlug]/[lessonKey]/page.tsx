import Link from "next/link";
import { CompleteLessonButton, EnrollButton, VisitRecorder } from "~/components/course-actions";
import { LabPanel } from "~/components/lab-panel";
import { LessonBlocks } from "~/components/lesson-blocks";
import { ChapterScheduleNotes, LockedPanel } from "~/components/learner-schedule-notes";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function LessonPage({ params }: { params: Promise<{ courseSlug: string; lessonKey: string }> }) {
  const { courseSlug, lessonKey } = await params;
  const api = await serverApi();
  const data = await orRedirect(api.courses.lesson({ courseSlug, lessonKey }));
  const { lesson, chapter, course, cohort, schedule } = data;
  const labs = await orRedirect(api.labs.forLesson({ courseSlug, lessonKey }));
  const closed = schedule?.state === "closed";
  const at = now();
  const href = (key: string) => `/courses/${courseSlug}/${key}`;
  return (
    <div className="lesson-layout">
      <aside className="chapter-toc" aria-label="Chapter contents">
        <Link href={`/courses/${courseSlug}`}>← {course.title}</Link>
        {chapter && (
          <h2>
            {chapter.number}. {chapter.title}
          </h2>
        )}
        <ol>
          {data.chapterLessons.map((l) => (
            <li key={l.key} className={`depth-${l.depth}${l.key === lesson.key ? " current" : ""}`}>
              <Link href={href(l.key)} aria-current={l.key === lesson.key ? "page" : undefined}>
                {l.number} {l.title}
              </Link>
              {l.done && <span className="status"> ✓</span>}
            </li>
          ))}
        </ol>
      </aside>
      <article className={labs.length > 0 ? "lesson has-lab" : "lesson"}>
        <p className="muted">
          Chapter {lesson.chapterNumber} · Edition {data.edition}
        </p>
        <h1>
          {lesson.number} {lesson.title}
        </h1>
        {data.status === "updated" && <p className="notice">This lesson changed since you completed it. Re-read it and mark it complete again.</p>}
        {cohort && schedule && <ChapterScheduleNotes schedule={schedule} zone={cohort.timeZone} now={at} />}
        {data.locked ? (
          <LockedPanel message={data.locked.message} what="lesson" />
        ) : lesson.outline ? (
          <p className="outline-note">
            This section is an outline: the cookbook lists it without text yet. Use it as a pointer for your own research.
          </p>
        ) : (
          <LessonBlocks blocks={lesson.blocks} />
        )}
        {labs.length > 0 && (
          <div className="lesson-labs">
            {labs.map((lab) => (
              <LabPanel
                key={lab.lab.slug}
                initial={lab}
                labsInLesson={labs.length}
                zone={cohort?.timeZone ?? null}
                now={at}
                labsHref={`/courses/${courseSlug}/labs`}
              />
            ))}
          </div>
        )}
        <div className="lesson-actions">
          {data.enrolled ? (
            <>
              <VisitRecorder courseId={course.id} lessonKey={lesson.key} />
              {/* The server refuses work on a locked or closed chapter; the panels above say why. */}
              {!data.locked && !closed && <CompleteLessonButton courseId={course.id} lessonKey={lesson.key} complete={data.status === "completed"} />}
              <span className="muted" data-testid="lesson-status">
                {data.status === "completed" ? "Completed" : data.status === "updated" ? "Updated since completed" : "Not completed"}
              </span>
              {labs.map((lab) => (
                <span key={lab.lab.slug} className="muted" data-testid="lab-progress">
                  {labs.length > 1 ? `Lab steps passed (${lab.lab.title})` : "Lab steps passed"}: {lab.stepsPassed}/{lab.lab.steps.length}
                </span>
              ))}
            </>
          ) : (
            <EnrollButton courseId={course.id} />
          )}
        </div>
        <nav className="prev-next">
          {data.previous ? (
            <Link href={href(data.previous.key)} rel="prev">
              ← {data.previous.number} {data.previous.title}
            </Link>
          ) : (
            <span />
          )}
          {data.next && (
            <Link href={href(data.next.key)} rel="next">
              {data.next.number} {data.next.title} →
            </Link>
          )}
        </nav>
      </article>
    </div>
  );
}
