"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

export function RemoveMemberButton({ cohortId, userId, name }: { cohortId: string; userId: string; name: string }) {
  const trpc = useTRPC();
  const remove = useAction(trpc.cohorts.removeMember.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`Remove ${name} from the cohort`}
        onClick={() => remove.mutate({ cohortId, userId })}
        disabled={remove.isPending}
      >
        Remove
      </button>
      <ErrorText error={remove.error} />
    </>
  );
}

/** Organisation members not in the cohort yet, to tick and add in one go (all or none, seat limit checked by the server). */
export function AddMembersForm({
  cohortId,
  candidates,
}: {
  cohortId: string;
  candidates: { userId: string; displayName: string; email: string; role: string }[];
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<string[]>([]);
  const add = useAction(trpc.cohorts.addMembers.mutationOptions({ onSuccess: () => setChosen([]) }));
  if (candidates.length === 0) return <p className="muted">Every member of the organisation is in this cohort.</p>;
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="add-members-heading"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ cohortId, userIds: chosen });
      }}
    >
      <h3 id="add-members-heading">Add members</h3>
      <ul className="plain">
        {candidates.map((m) => (
          <li key={m.userId}>
            <label style={{ display: "flex", gap: ".5rem", fontWeight: 400 }}>
              <input
                type="checkbox"
                style={{ width: "auto" }}
                checked={chosen.includes(m.userId)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, m.userId] : chosen.filter((id) => id !== m.userId))}
              />
              {m.displayName} ({m.email}){m.role !== "learner" && <span className="badge">{m.role}</span>}
            </label>
          </li>
        ))}
      </ul>
      <button type="submit" disabled={add.isPending || chosen.length === 0}>
        Add to cohort
      </button>
      <ErrorText error={add.error} />
    </form>
  );
}
