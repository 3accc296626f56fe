"use client";

import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

const goHome = () => window.location.assign("/home");

export function SwitchOrgButton({ tenantId, name }: { tenantId: string; name: string }) {
  const trpc = useTRPC();
  const switchOrg = useAction(trpc.orgs.switch.mutationOptions(), goHome);
  return (
    <>
      <button type="button" onClick={() => switchOrg.mutate({ tenantId })} disabled={switchOrg.isPending} aria-label={`Open ${name}`}>
        Open
      </button>
      <ErrorText error={switchOrg.error} />
    </>
  );
}

export function CreateOrgForm() {
  const trpc = useTRPC();
  const create = useAction(trpc.orgs.create.mutationOptions(), goHome);
  const [form, setForm] = useState({ name: "", slug: "" });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(form);
  }
  return (
    <form onSubmit={submit} className="card form">
      <h2>Create an organisation</h2>
      <label>
        Name
        <input name="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        Address (slug)
        <input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} />
      </label>
      <ErrorText error={create.error} />
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
    </form>
  );
}

export function AcceptInvitationButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const accept = useAction(trpc.orgs.acceptInvitation.mutationOptions(), goHome);
  return (
    <>
      <button type="button" onClick={() => accept.mutate({ token })} disabled={accept.isPending}>
        Join
      </button>
      <ErrorText error={accept.error} />
    </>
  );
}
