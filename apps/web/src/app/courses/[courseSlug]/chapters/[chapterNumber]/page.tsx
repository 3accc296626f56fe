import Link from "next/link";
import { notFound } from "next/navigation";
import { LabMark } from "~/components/lab-mark";
import { ChapterScheduleNotes, LockedPanel } from "~/components/learner-schedule-notes";
import { LessonBlocks } from "~/components/lesson-blocks";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function ChapterPage({ params }: { params: Promise<{ courseSlug: string; chapterNumber: string }> }) {
  const { courseSlug, chapterNumber } = await params;
  const number = Number(chapterNumber);
  if (!Number.isInteger(number)) notFound();
  const api = await serverApi();
  const { course, edition, chapter, lessons, locked, cohort, schedule } = await orRedirect(
    api.courses.chapter({ courseSlug, chapterNumber: number }),
  );
  return (
    <article className="lesson">
      <Link href={`/courses/${courseSlug}`}>← {course.title}</Link>
      <p className="muted">
        Part {chapter.partNumber}: {chapter.partTitle} · Edition {edition}
      </p>
      <h1>
        {chapter.number}. {chapter.title}
      </h1>
      {cohort && schedule && <ChapterScheduleNotes schedule={schedule} zone={cohort.timeZone} now={now()} />}
      {locked ? (
        <LockedPanel message={locked.message} what="chapter" />
      ) : chapter.intro.length > 0 ? (
        <LessonBlocks blocks={chapter.intro} />
      ) : (
        <p className="outline-note">This chapter has no introduction.</p>
      )}
      {lessons.length > 0 && (
        <>
          <h2>In this chapter</h2>
          <ol className="lesson-list">
            {lessons.map((l) => (
              <li key={l.key} className={`depth-${l.depth}`}>
                <Link href={`/courses/${courseSlug}/${l.key}`}>
                  {l.number} {l.title}
                </Link>
                <LabMark labs={l.labs} />
              </li>
            ))}
          </ol>
        </>
      )}
    </article>
  );
}
