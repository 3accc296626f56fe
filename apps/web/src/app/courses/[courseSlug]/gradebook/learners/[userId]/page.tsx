import { GradebookLearnerView } from "~/components/gradebook-learner-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function SelfPacedLearnerPage({ params }: { params: Promise<{ courseSlug: string; userId: string }> }) {
  const { courseSlug, userId } = await params;
  const api = await serverApi();
  const outline = await orRedirect(api.courses.outline({ courseSlug }));
  const lessonTitles = new Map(outline.chapters.flatMap((c) => c.lessons.map((l) => [l.key, l.title] as const)));
  return (
    <GradebookLearnerView
      scope={{ courseId: outline.course.id, selfPaced: true }}
      userId={userId}
      backHref={`/courses/${outline.course.slug}/gradebook`}
      lessonTitles={lessonTitles}
    />
  );
}
