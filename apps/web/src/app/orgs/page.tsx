import { CreateOrgForm, SwitchOrgButton } from "~/components/org-actions";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Orgs() {
  const api = await serverApi();
  const { memberships, activeTenantId } = await orRedirect(api.orgs.list());
  return (
    <div className="stack">
      <h1>Your organisations</h1>
      {memberships.length === 0 ? (
        <p className="muted">You are not in an organisation yet. Create one, or open an invitation link you were sent.</p>
      ) : (
        <ul className="cards">
          {memberships.map((m) => (
            <li key={m.tenantId} className="card row">
              <div>
                <strong>{m.name}</strong> <span className="badge">{m.role}</span>
                {m.tenantId === activeTenantId && <span className="badge current">current</span>}
                <div className="muted">/{m.slug}</div>
              </div>
              <SwitchOrgButton tenantId={m.tenantId} name={m.name} />
            </li>
          ))}
        </ul>
      )}
      <CreateOrgForm />
    </div>
  );
}
