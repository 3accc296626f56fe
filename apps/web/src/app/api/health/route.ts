import { sql } from "drizzle-orm";
import { db } from "~/server/db";

export const dynamic = "force-dynamic";

/** For load balancers and probes: 200 when the database answers, 503 when it does not. */
export async function GET() {
  const started = performance.now();
  try {
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", database: { reachable: true, latencyMs: Math.round(performance.now() - started) } });
  } catch {
    return Response.json({ status: "degraded", database: { reachable: false } }, { status: 503 });
  }
}
