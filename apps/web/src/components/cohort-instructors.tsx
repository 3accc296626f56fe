"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** An organisation instructor or owner: only they can teach a cohort. */
export type StaffMember = { userId: string; displayName: string; email: string; role: string };

/**
 * The organisation's staff to tick as a cohort's instructors. `fixed` is someone whose box stays
 * ticked (an instructor creating a cohort: the server requires them among its instructors).
 */
export function InstructorChoice({
  staff,
  chosen,
  onChange,
  fixed,
}: {
  staff: StaffMember[];
  chosen: string[];
  onChange: (userIds: string[]) => void;
  fixed?: string;
}) {
  return (
    <ul className="plain">
      {staff.map((m) => (
        <li key={m.userId}>
          <label style={{ display: "flex", gap: ".5rem", fontWeight: 400 }}>
            <input
              type="checkbox"
              style={{ width: "auto" }}
              checked={m.userId === fixed || chosen.includes(m.userId)}
              disabled={m.userId === fixed}
              onChange={(e) => onChange(e.target.checked ? [...chosen, m.userId] : chosen.filter((id) => id !== m.userId))}
            />
            {m.displayName} ({m.email})<span className="badge">{m.role}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}

/**
 * Replaces the cohort's instructors with the ticked ones. The server refuses an empty list and
 * anyone who is not an instructor or owner of the organisation, with a message shown as is.
 */
export function CohortInstructorsForm({
  cohortId,
  instructors,
  staff,
  viewer,
}: {
  cohortId: string;
  instructors: { userId: string; displayName: string }[];
  staff: StaffMember[];
  viewer: { userId: string; role: string };
}) {
  const trpc = useTRPC();
  const isStaff = new Set(staff.map((m) => m.userId));
  // Someone whose organisation role dropped to learner cannot stay an instructor: the server would refuse them.
  const [chosen, setChosen] = useState(() => instructors.map((i) => i.userId).filter((id) => isStaff.has(id)));
  const [saved, setSaved] = useState(false);
  const save = useAction(trpc.cohorts.setInstructors.mutationOptions({ onSuccess: () => setSaved(true) }));
  const dropped = instructors.filter((i) => !isStaff.has(i.userId));
  // Owners manage every cohort; an instructor manages only the cohorts they teach.
  const losesAccess = viewer.role !== "owner" && !chosen.includes(viewer.userId);
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="cohort-instructors-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate({ cohortId, userIds: chosen });
      }}
    >
      <h3 id="cohort-instructors-heading">Cohort instructors</h3>
      <p className="muted">A cohort has one or more instructors, chosen among the organisation&apos;s instructors and owners.</p>
      <InstructorChoice
        staff={staff}
        chosen={chosen}
        onChange={(ids) => {
          setSaved(false);
          setChosen(ids);
        }}
      />
      {dropped.length > 0 && (
        <p className="notice">
          {dropped.map((i) => i.displayName).join(", ")} {dropped.length === 1 ? "is" : "are"} no longer an instructor or owner of the organisation:
          saving removes {dropped.length === 1 ? "them" : "them all"} from the cohort&apos;s instructors.
        </p>
      )}
      {losesAccess && <p className="notice">Without you among its instructors, you will no longer be able to change this cohort.</p>}
      <button type="submit" disabled={save.isPending}>
        Save instructors
      </button>
      {saved && !save.isPending && <p role="status">Saved.</p>}
      <ErrorText error={save.error} />
    </form>
  );
}
