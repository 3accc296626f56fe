import { NodePostgresAdapter } from "@lucia-auth/adapter-postgresql";
import { Lucia, TimeSpan } from "lucia";
import { env } from "~/env";
import { pool } from "~/server/db";

const adapter = new NodePostgresAdapter(pool, { user: "users", session: "sessions" });

export const lucia = new Lucia(adapter, {
  // Lucia extends a session that is past half its life on validation: a sliding expiry.
  sessionExpiresIn: new TimeSpan(env.SESSION_DAYS, "d"),
  sessionCookie: { name: "cookbook_session", attributes: { sameSite: "lax" } },
  getUserAttributes: (row) => ({ email: row.email, displayName: row.display_name }),
  getSessionAttributes: (row) => ({ activeTenantId: row.active_tenant_id }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: { email: string; display_name: string };
    DatabaseSessionAttributes: { active_tenant_id: string | null };
  }
}
