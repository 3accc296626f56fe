import { LabFailuresView } from "~/components/lab-failures-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function CohortLabFailuresPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const api = await serverApi();
  const cohort = await orRedirect(api.cohorts.get({ cohortId }));
  return <LabFailuresView scope={{ cohortId: cohort.id }} backHref={`/cohorts/${cohort.id}/gradebook`} title={cohort.name} />;
}
