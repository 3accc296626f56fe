"use client";

import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** Joining switches the session to the cohort's organisation: a full load shows its home page, the week in the cohort first. */
const goHome = () => window.location.assign("/home");

export function JoinCohortButton({ code, cohortName }: { code: string; cohortName: string }) {
  const trpc = useTRPC();
  const join = useAction(trpc.cohorts.join.mutationOptions(), goHome);
  return (
    <>
      <button type="button" onClick={() => join.mutate({ code })} disabled={join.isPending} aria-label={`Join ${cohortName}`}>
        {join.isPending ? "Joining…" : "Join the cohort"}
      </button>
      <ErrorText error={join.error} />
    </>
  );
}
