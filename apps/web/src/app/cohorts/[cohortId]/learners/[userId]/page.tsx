import { GradebookLearnerView } from "~/components/gradebook-learner-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function CohortLearnerPage({ params }: { params: Promise<{ cohortId: string; userId: string }> }) {
  const { cohortId, userId } = await params;
  const api = await serverApi();
  const cohort = await orRedirect(api.cohorts.get({ cohortId }));
  // The timeline names lessons by their title in the course's outline; a lesson since removed keeps its key.
  const outline = await orRedirect(api.courses.outline({ courseSlug: cohort.course.slug }));
  const lessonTitles = new Map(outline.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.title] as const)));
  return (
    <GradebookLearnerView scope={{ cohortId: cohort.id }} userId={userId} backHref={`/cohorts/${cohort.id}/gradebook`} lessonTitles={lessonTitles} />
  );
}
