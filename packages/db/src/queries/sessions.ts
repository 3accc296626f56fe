import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { sessions } from "../schema/index";

/** Switching organisation is a property of the session, so each device keeps its own choice. */
export async function setActiveTenant(db: Executor, sessionId: string, tenantId: string | null) {
  await db.update(sessions).set({ activeTenantId: tenantId }).where(eq(sessions.id, sessionId));
}
