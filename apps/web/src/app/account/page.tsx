import { DeleteAccountForm, DownloadDataButton } from "~/components/data-rights-actions";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Account() {
  const api = await serverApi();
  const [me, { memberships }] = await Promise.all([api.auth.me(), orRedirect(api.orgs.list())]);
  if (!me) return null;
  return (
    <div className="stack">
      <h1>Your account</h1>
      <p>
        {me.displayName} · {me.email} · member of {memberships.length} organisation{memberships.length === 1 ? "" : "s"}
      </p>
      <div className="card stack">
        <h2>Your data</h2>
        <p className="muted">
          A JSON file with your profile, memberships, enrollments, progress, lab sandboxes and attempts in every organisation, and your sessions (when
          they expire; not their keys). Not your password.
        </p>
        <DownloadDataButton what="account" />
      </div>
      <DeleteAccountForm />
    </div>
  );
}
