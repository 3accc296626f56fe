"use client";

import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** Progress is kept by lesson key; hand-set dates of items the new edition lacks are dropped (the audit log lists them). */
export function MoveVersionButton({ cohortId, versionId, edition }: { cohortId: string; versionId: string; edition: string }) {
  const trpc = useTRPC();
  const move = useAction(trpc.cohorts.moveVersion.mutationOptions());
  return (
    <>
      <button type="button" onClick={() => move.mutate({ cohortId, versionId })} disabled={move.isPending}>
        Move the cohort to edition {edition}
      </button>
      <ErrorText error={move.error} />
    </>
  );
}
