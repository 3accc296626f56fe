"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** Deleting needs the cohort's name typed; the server compares it and says so when it differs. */
export function DeleteCohortForm({ cohortId, name }: { cohortId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmName, setConfirmName] = useState("");
  const remove = useAction(trpc.cohorts.delete.mutationOptions(), () => router.push("/cohorts"));
  return (
    <section aria-labelledby="delete-cohort-heading" className="stack">
      <h2 id="delete-cohort-heading">Delete cohort</h2>
      <form
        noValidate
        className="card form"
        aria-labelledby="delete-cohort-heading"
        onSubmit={(e) => {
          e.preventDefault();
          remove.mutate({ cohortId, confirmName });
        }}
      >
        <p className="muted">
          This removes {name} with its roster, schedule, extensions, announcements, invitation link and audit log. It cannot be undone. The learners
          stay in the organisation and enrolled in the course, keep their progress and continue at their own pace, without dates.
        </p>
        <label>
          Type the cohort&apos;s name to confirm
          <input name="confirmName" autoComplete="off" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
        </label>
        <button type="submit" className="danger" disabled={remove.isPending}>
          Delete this cohort
        </button>
        <ErrorText error={remove.error} />
      </form>
    </section>
  );
}
