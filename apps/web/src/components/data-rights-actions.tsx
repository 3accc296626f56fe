"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC, useTRPCClient } from "~/trpc/react";
import { ErrorText } from "./error-text";

/** Saves `data` as a JSON file: the export arrives through the API, with the session's checks. */
function saveJson(data: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

const today = () => new Date().toISOString().slice(0, 10);

export function DownloadDataButton({ what }: { what: "account" | "organisation" }) {
  const client = useTRPCClient();
  const download = useMutation({
    mutationFn: async () => {
      if (what === "account") saveJson(await client.account.export.query(), `cookbook-labs-my-data-${today()}.json`);
      else {
        const data = await client.orgs.export.query();
        saveJson(data, `cookbook-labs-${data.organisation.slug}-${today()}.json`);
      }
    },
  });
  return (
    <>
      <button type="button" className="secondary" onClick={() => download.mutate()} disabled={download.isPending}>
        {what === "account" ? "Download my data (JSON)" : "Download the organisation's data (JSON)"}
      </button>
      <ErrorText error={download.error} />
    </>
  );
}

export function DeleteAccountForm() {
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const remove = useMutation(trpc.account.delete.mutationOptions({ onSuccess: () => window.location.assign("/") }));
  function submit(e: FormEvent) {
    e.preventDefault();
    remove.mutate({ password });
  }
  return (
    <form onSubmit={submit} className="card form">
      <h2>Delete my account</h2>
      <p className="muted">
        This removes your profile, memberships, progress, lab attempts and sessions, and stops your running lab. Organisations where you are the only
        member are deleted with it. It cannot be undone.
      </p>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ErrorText error={remove.error} />
      <button type="submit" className="danger" disabled={remove.isPending}>
        Delete my account
      </button>
    </form>
  );
}

export function DeleteOrganisationForm({ tenantId, name }: { tenantId: string; name: string }) {
  const trpc = useTRPC();
  const [confirmName, setConfirmName] = useState("");
  const remove = useMutation(trpc.orgs.delete.mutationOptions({ onSuccess: () => window.location.assign("/orgs") }));
  function submit(e: FormEvent) {
    e.preventDefault();
    remove.mutate({ tenantId, confirmName });
  }
  return (
    <form onSubmit={submit} className="card form">
      <h2>Delete {name}</h2>
      <p className="muted">
        This removes the organisation with all its members&apos; memberships, invitations, enrollments, progress and lab work, and stops its running
        labs. The people keep their accounts. It cannot be undone.
      </p>
      <label>
        Type the organisation&apos;s name to confirm
        <input name="confirmName" required value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
      </label>
      <ErrorText error={remove.error} />
      <button type="submit" className="danger" disabled={remove.isPending || confirmName.trim() !== name.trim()}>
        Delete this organisation
      </button>
    </form>
  );
}
