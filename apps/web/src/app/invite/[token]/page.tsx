import Link from "next/link";
import { AcceptInvitationButton } from "~/components/org-actions";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Invite({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const api = await serverApi();
  const invitation = await orRedirect(api.orgs.previewInvitation({ token }));
  const me = await api.auth.me();
  const here = `/invite/${token}`;
  return (
    <div className="card narrow stack">
      <h1>Join {invitation.name}</h1>
      <p>
        You are invited as <strong>{invitation.role}</strong>.
      </p>
      {invitation.usedUp ? (
        <p role="alert" className="error">
          This link has been used as many times as it allows. Ask whoever sent it for a new one.
        </p>
      ) : null}
      {me ? (
        <AcceptInvitationButton token={token} />
      ) : (
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>Sign in</Link> or{" "}
          <Link href={`/sign-up?next=${encodeURIComponent(here)}`}>create an account</Link> to accept.
        </p>
      )}
    </div>
  );
}
