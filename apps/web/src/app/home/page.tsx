import Link from "next/link";
import { EnableCourseButton, EnrollButton } from "~/components/course-actions";
import { LearnerWeek } from "~/components/learner-week";
import { ProgressBar } from "~/components/progress-bar";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Home() {
  const api = await serverApi();
  const org = await orRedirect(api.orgs.current());
  const courses = await orRedirect(api.courses.list());
  const catalogue = org.role === "owner" ? await api.courses.catalogue() : [];
  const notEnabled = catalogue.filter((c) => !c.enabled);
  // Self-paced learners are in no cohort: these are empty and the page is the course list alone.
  const [weeks, announcements, extensions] = await Promise.all([api.week.mine(), api.announcements.mine(), api.extensions.mine({})]);
  const at = now();
  return (
    <div className="stack">
      <h1>{org.name}</h1>
      <p className="muted">You are {org.role === "owner" ? "an owner" : `a ${org.role}`} here.</p>
      {weeks.map((week) => (
        <LearnerWeek
          key={week.cohort.id}
          week={week}
          announcements={announcements.filter((a) => a.cohortId === week.cohort.id)}
          extensions={extensions.filter((e) => e.cohortId === week.cohort.id)}
          now={at}
        />
      ))}
      <h2 id="home-courses">Courses</h2>
      {courses.length === 0 && <p className="muted">No course is enabled in this organisation yet.</p>}
      <ul className="cards" aria-labelledby="home-courses">
        {courses.map((c) => (
          <li key={c.id} className="card stack">
            <div className="row">
              <div>
                <h3>
                  <Link href={`/courses/${c.slug}`}>{c.title}</Link>
                </h3>
                <div className="muted">Edition {c.edition}</div>
              </div>
              {c.enrolled ? (
                <Link className="button" href={c.lastLessonKey ? `/courses/${c.slug}/${c.lastLessonKey}` : `/courses/${c.slug}`}>
                  Continue
                </Link>
              ) : (
                <EnrollButton courseId={c.id} />
              )}
            </div>
            {c.enrolled && <ProgressBar completed={c.completed} total={c.total} label={`${c.title} progress`} />}
            {org.role !== "learner" && <Link href={`/courses/${c.slug}/progress`}>Learners&apos; progress</Link>}
          </li>
        ))}
      </ul>
      {notEnabled.length > 0 && (
        <>
          <h2>Catalogue</h2>
          <ul className="cards">
            {notEnabled.map((c) => (
              <li key={c.id} className="card row">
                <strong>{c.title}</strong>
                <EnableCourseButton courseId={c.id} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
