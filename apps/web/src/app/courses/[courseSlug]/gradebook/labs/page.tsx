import { LabFailuresView } from "~/components/lab-failures-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function SelfPacedLabFailuresPage({ params }: { params: Promise<{ courseSlug: string }> }) {
  const { courseSlug } = await params;
  const api = await serverApi();
  const { course } = await orRedirect(api.courses.outline({ courseSlug }));
  return (
    <LabFailuresView
      scope={{ courseId: course.id, selfPaced: true }}
      backHref={`/courses/${course.slug}/gradebook`}
      title={`${course.title} (self-paced)`}
    />
  );
}
