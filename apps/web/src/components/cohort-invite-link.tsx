"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** The cohort's join link (`origin` is the address this page was requested at), with copy, reset and on/off. */
export function InviteLink({ cohortId, code, origin }: { cohortId: string; code: string | null; origin: string }) {
  const trpc = useTRPC();
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const reset = useAction(trpc.cohorts.resetInviteLink.mutationOptions({ onSuccess: () => setCopied(null) }));
  const url = code === null ? null : `${origin}/join/${code}`;
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      // Clipboard access needs a secure context and permission; the field is still there to select.
      setCopied("failed");
    }
  };
  return (
    <div className="card form">
      {url === null ? (
        <p>The invitation link is switched off: nobody can join through it.</p>
      ) : (
        <>
          <label>
            Cohort invitation link
            <input readOnly value={url} onFocus={(e) => e.target.select()} />
          </label>
          <p className="muted">
            Anyone with the link can join this cohort (and the organisation, as a learner) while there are seats. Resetting it stops the old link from
            working.
          </p>
        </>
      )}
      <div className="row" style={{ justifyContent: "flex-start", flexWrap: "wrap" }}>
        {url !== null && (
          <>
            <button type="button" onClick={() => copy(url)}>
              Copy link
            </button>
            <button type="button" className="secondary" onClick={() => reset.mutate({ cohortId, enabled: true })} disabled={reset.isPending}>
              Reset link
            </button>
            <button type="button" className="secondary" onClick={() => reset.mutate({ cohortId, enabled: false })} disabled={reset.isPending}>
              Switch link off
            </button>
          </>
        )}
        {url === null && (
          <button type="button" onClick={() => reset.mutate({ cohortId, enabled: true })} disabled={reset.isPending}>
            Switch link on
          </button>
        )}
      </div>
      {copied === "copied" && <p role="status">Copied.</p>}
      {copied === "failed" && <p role="status">Could not copy: select the link and copy it yourself.</p>}
      <ErrorText error={reset.error} />
    </div>
  );
}
