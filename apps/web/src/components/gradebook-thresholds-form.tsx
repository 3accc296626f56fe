"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

type Thresholds = { atRiskOverdueItems: number; atRiskInactiveDays: number; atRiskStepFailures: number };

/** When a cohort's learner counts as at risk: its managers set it; the server checks the ranges. */
export function GradebookThresholdsForm({ cohortId, thresholds }: { cohortId: string; thresholds: Thresholds }) {
  const trpc = useTRPC();
  const [overdue, setOverdue] = useState(thresholds.atRiskOverdueItems);
  const [inactive, setInactive] = useState(thresholds.atRiskInactiveDays);
  const [failures, setFailures] = useState(thresholds.atRiskStepFailures);
  const [saved, setSaved] = useState(false);
  const save = useAction(trpc.gradebook.setThresholds.mutationOptions({ onSuccess: () => setSaved(true) }));
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="thresholds-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        // Only what changed, so two managers editing different thresholds do not undo each other.
        save.mutate({
          cohortId,
          ...(overdue !== thresholds.atRiskOverdueItems && { atRiskOverdueItems: overdue }),
          ...(inactive !== thresholds.atRiskInactiveDays && { atRiskInactiveDays: inactive }),
          ...(failures !== thresholds.atRiskStepFailures && { atRiskStepFailures: failures }),
        });
      }}
    >
      <h3 id="thresholds-heading">At-risk thresholds</h3>
      <label>
        Items past due
        <input name="atRiskOverdueItems" type="number" min={1} max={1000} value={overdue} onChange={(e) => setOverdue(e.target.valueAsNumber)} />
      </label>
      <label>
        Days without activity
        <input name="atRiskInactiveDays" type="number" min={1} max={365} value={inactive} onChange={(e) => setInactive(e.target.valueAsNumber)} />
      </label>
      <label>
        Failures of one lab step
        <input name="atRiskStepFailures" type="number" min={1} max={1000} value={failures} onChange={(e) => setFailures(e.target.valueAsNumber)} />
      </label>
      <button type="submit" disabled={save.isPending}>
        Save thresholds
      </button>
      {saved && !save.isPending && <p role="status">Saved.</p>}
      <ErrorText error={save.error} />
    </form>
  );
}
