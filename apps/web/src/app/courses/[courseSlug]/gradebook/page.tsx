import Link from "next/link";
import { GradebookView, parseFilter, parseSort } from "~/components/gradebook-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

type Search = { sort?: string | string[]; filter?: string | string[] };

/** The gradebook of a course's self-paced learners: enrolled members of the organisation in no cohort of it. */
export default async function SelfPacedGradebookPage({
  params,
  searchParams,
}: {
  params: Promise<{ courseSlug: string }>;
  searchParams: Promise<Search>;
}) {
  const { courseSlug } = await params;
  const search = await searchParams;
  const api = await serverApi();
  const { course } = await orRedirect(api.courses.outline({ courseSlug }));
  const base = `/courses/${course.slug}`;
  return (
    <div className="stack">
      <p>
        <Link href={`${base}/progress`}>← Learners&apos; progress</Link>
      </p>
      <h1>Gradebook of {course.title} (self-paced)</h1>
      <p className="muted">Enrolled members who are in no cohort of this course. Cohorts have their own gradebooks.</p>
      <GradebookView
        scope={{ courseId: course.id, selfPaced: true }}
        sort={parseSort(search.sort)}
        filter={parseFilter(search.filter)}
        canManageCohort={null}
        paths={{
          self: `${base}/gradebook`,
          learner: (userId) => `${base}/gradebook/learners/${encodeURIComponent(userId)}`,
          labs: `${base}/gradebook/labs`,
          exportQuery: new URLSearchParams({ courseId: course.id, selfPaced: "1" }).toString(),
        }}
      />
    </div>
  );
}
