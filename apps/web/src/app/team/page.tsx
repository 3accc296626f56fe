import { DeleteOrganisationForm, DownloadDataButton } from "~/components/data-rights-actions";
import { InviteForm, MemberControls, RevokeInvitationButton } from "~/components/team-actions";
import { now as clockNow } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Team() {
  const api = await serverApi();
  const org = await orRedirect(api.orgs.current());
  const [members, invitations] = await Promise.all([orRedirect(api.orgs.members()), orRedirect(api.orgs.invitations())]);
  const now = clockNow().getTime();
  return (
    <div className="stack">
      <h1>Team of {org.name}</h1>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.displayName}</td>
              <td>{m.email}</td>
              <td>{org.role === "owner" ? <MemberControls userId={m.userId} role={m.role} /> : m.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <InviteForm canInviteStaff={org.role === "owner"} />
      <h2>Invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">No invitations yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Role</th>
              <th>By</th>
              <th>Uses</th>
              <th>Expires</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.role}</td>
                <td>{i.createdBy}</td>
                <td>
                  {i.uses} of {i.maxUses ?? "unlimited"}
                </td>
                <td>{i.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td>
                <td>
                  {i.revokedAt ? (
                    "revoked"
                  ) : i.expiresAt.getTime() <= now ? (
                    "expired"
                  ) : (
                    <>
                      {i.maxUses !== null && i.uses >= i.maxUses ? "used up " : null}
                      <RevokeInvitationButton invitationId={i.id} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {org.role === "owner" && (
        <>
          <h2>Organisation data</h2>
          <p className="muted">
            A JSON file with the members, invitations, enabled courses, enrollments, progress, lab sandboxes and attempts of {org.name}.
          </p>
          <DownloadDataButton what="organisation" />
          <DeleteOrganisationForm tenantId={org.tenantId} name={org.name} />
        </>
      )}
    </div>
  );
}
