"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** "" in the item select means every item. */
const everything = "";

export function ExtensionForm({
  cohortId,
  learners,
  items,
}: {
  cohortId: string;
  learners: { userId: string; displayName: string }[];
  items: { key: string; title: string }[];
}) {
  const trpc = useTRPC();
  const [userId, setUserId] = useState(learners[0]?.userId ?? "");
  const [itemKey, setItemKey] = useState(everything);
  const [days, setDays] = useState(3);
  const [reason, setReason] = useState("");
  // One id per grant meant: a retried request (double click, flaky network) adds nothing twice.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const grant = useAction(
    trpc.extensions.grant.mutationOptions({
      onSuccess: () => {
        setReason("");
        setRequestId(crypto.randomUUID());
      },
    }),
  );
  if (learners.length === 0) return <p className="muted">The cohort has no learners yet.</p>;
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="grant-extension-heading"
      onSubmit={(e) => {
        e.preventDefault();
        grant.mutate({ cohortId, userId, itemKey: itemKey === everything ? null : itemKey, days, reason, requestId });
      }}
    >
      <h3 id="grant-extension-heading">Grant an extension</h3>
      <label>
        Learner
        <select name="userId" value={userId} onChange={(e) => setUserId(e.target.value)}>
          {learners.map((l) => (
            <option key={l.userId} value={l.userId}>
              {l.displayName}
            </option>
          ))}
        </select>
      </label>
      <label>
        Item
        <select name="itemKey" value={itemKey} onChange={(e) => setItemKey(e.target.value)}>
          <option value={everything}>Everything</option>
          {items.map((i) => (
            <option key={i.key} value={i.key}>
              {i.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Extra days
        <input name="days" type="number" min={1} max={365} value={Number.isNaN(days) ? "" : days} onChange={(e) => setDays(e.target.valueAsNumber)} />
      </label>
      <label>
        Reason
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={grant.isPending}>
        Grant extension
      </button>
      <ErrorText error={grant.error} />
    </form>
  );
}

export function RevokeExtensionButton({ extensionId, label }: { extensionId: string; label: string }) {
  const trpc = useTRPC();
  const revoke = useAction(trpc.extensions.revoke.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`Revoke ${label}`}
        onClick={() => revoke.mutate({ extensionId })}
        disabled={revoke.isPending}
      >
        Revoke
      </button>
      <ErrorText error={revoke.error} />
    </>
  );
}
