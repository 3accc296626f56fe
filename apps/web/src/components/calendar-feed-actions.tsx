"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/**
 * Create, reset or delete the personal calendar feed. Its address holds a secret, so it is shown
 * once, right after it is made: the server keeps only a hash of it.
 */
export function CalendarFeedActions({ exists }: { exists: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [made, setMade] = useState<{ url: string; replaced: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const reset = useAction(trpc.calendar.resetFeed.mutationOptions(), (data) => {
    setMade({ url: data.url, replaced: exists });
    setCopied(false);
    router.refresh();
  });
  const remove = useAction(trpc.calendar.deleteFeed.mutationOptions(), () => {
    setMade(null);
    router.refresh();
  });
  const copy = async () => {
    if (!made) return;
    await navigator.clipboard.writeText(made.url);
    setCopied(true);
  };
  const busy = reset.isPending || remove.isPending;
  return (
    <div className="stack">
      {made && (
        <div className="notice stack" role="status" aria-label="Your calendar feed address">
          <label>
            Your calendar feed address
            <input readOnly value={made.url} onFocus={(e) => e.currentTarget.select()} data-testid="calendar-feed-url" />
          </label>
          <p>
            <button type="button" className="secondary" onClick={copy}>
              {copied ? "Copied" : "Copy the address"}
            </button>
          </p>
          <p>
            Copy it now and add it to your calendar app as a subscription: it is shown only this once.
            {made.replaced && " The old address stops working."}
          </p>
        </div>
      )}
      <div className="row" style={{ justifyContent: "flex-start" }}>
        {exists ? (
          <>
            <button type="button" onClick={() => reset.mutate()} disabled={busy}>
              {reset.isPending ? "Resetting…" : "Reset the address"}
            </button>
            <button type="button" className="secondary" onClick={() => remove.mutate()} disabled={busy}>
              {remove.isPending ? "Deleting…" : "Delete the feed"}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => reset.mutate()} disabled={busy}>
            {reset.isPending ? "Creating…" : "Create a calendar feed"}
          </button>
        )}
      </div>
      {exists && !made && <p className="muted">Resetting gives a new address and the old one stops working; deleting stops the feed altogether.</p>}
      <ErrorText error={reset.error ?? remove.error} />
    </div>
  );
}
