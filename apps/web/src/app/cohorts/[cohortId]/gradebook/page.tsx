import Link from "next/link";
import { GradebookView, parseFilter, parseSort } from "~/components/gradebook-view";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

type Search = { sort?: string | string[]; filter?: string | string[] };

export default async function CohortGradebookPage({
  params,
  searchParams,
}: {
  params: Promise<{ cohortId: string }>;
  searchParams: Promise<Search>;
}) {
  const { cohortId } = await params;
  const search = await searchParams;
  const api = await serverApi();
  const cohort = await orRedirect(api.cohorts.get({ cohortId }));
  const base = `/cohorts/${cohort.id}`;
  return (
    <div className="stack">
      <p>
        <Link href={base}>← {cohort.name}</Link>
      </p>
      <h1>Gradebook of {cohort.name}</h1>
      <GradebookView
        scope={{ cohortId: cohort.id }}
        sort={parseSort(search.sort)}
        filter={parseFilter(search.filter)}
        canManageCohort={cohort.canManage ? cohort.id : null}
        paths={{
          self: `${base}/gradebook`,
          learner: (userId) => `${base}/learners/${encodeURIComponent(userId)}`,
          labs: `${base}/labs`,
          exportQuery: new URLSearchParams({ cohortId: cohort.id }).toString(),
        }}
      />
    </div>
  );
}
