"use client";

import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

type Role = "owner" | "instructor" | "learner";
const roles: Role[] = ["learner", "instructor", "owner"];
/** How many people a link admits: one (a personal invitation), a stated number, or a class-wide link. */
type Uses = "one" | "number" | "unlimited";

export function InviteForm({ canInviteStaff }: { canInviteStaff: boolean }) {
  const trpc = useTRPC();
  const [role, setRole] = useState<Role>("learner");
  const [uses, setUses] = useState<Uses>("one");
  const [count, setCount] = useState(30);
  const [link, setLink] = useState<string | null>(null);
  const maxUses = uses === "one" ? 1 : uses === "number" ? count : null;
  const create = useAction(
    trpc.orgs.createInvitation.mutationOptions({ onSuccess: (inv) => setLink(`${window.location.origin}/invite/${inv.token}`) }),
  );
  return (
    <div className="card form">
      <h2>Invite by link</h2>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles
            .filter((r) => canInviteStaff || r === "learner")
            .map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
        </select>
      </label>
      <label>
        Who may use it
        <select name="uses" value={uses} onChange={(e) => setUses(e.target.value as Uses)}>
          <option value="one">One person (personal invitation)</option>
          <option value="number">A number of people</option>
          <option value="unlimited">Anyone with the link until it expires (class-wide)</option>
        </select>
      </label>
      {uses === "number" && (
        <label>
          Number of people
          <input name="maxUses" type="number" min={1} max={10000} value={count} onChange={(e) => setCount(e.target.valueAsNumber)} />
        </label>
      )}
      <button type="button" onClick={() => create.mutate({ role, maxUses })} disabled={create.isPending}>
        Create invitation link
      </button>
      <ErrorText error={create.error} />
      {link && (
        <p>
          Share this link (shown once): <input readOnly aria-label="Invitation link" value={link} onFocus={(e) => e.target.select()} />
        </p>
      )}
    </div>
  );
}

export function RevokeInvitationButton({ invitationId }: { invitationId: string }) {
  const trpc = useTRPC();
  const revoke = useAction(trpc.orgs.revokeInvitation.mutationOptions());
  return (
    <>
      <button type="button" className="secondary" onClick={() => revoke.mutate({ invitationId })} disabled={revoke.isPending}>
        Revoke
      </button>
      <ErrorText error={revoke.error} />
    </>
  );
}

export function MemberControls({ userId, role }: { userId: string; role: Role }) {
  const trpc = useTRPC();
  const change = useAction(trpc.orgs.changeRole.mutationOptions());
  const remove = useAction(trpc.orgs.removeMember.mutationOptions());
  return (
    <>
      <select aria-label="Role" value={role} onChange={(e) => change.mutate({ userId, role: e.target.value as Role })} disabled={change.isPending}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>{" "}
      <button type="button" className="secondary" onClick={() => remove.mutate({ userId })} disabled={remove.isPending}>
        Remove
      </button>
      <ErrorText error={change.error ?? remove.error} />
    </>
  );
}
