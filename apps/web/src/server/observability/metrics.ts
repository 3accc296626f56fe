import { timingSafeEqual } from "node:crypto";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

function createWebMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    procedureSeconds: new Histogram({
      name: "web_trpc_procedure_duration_seconds",
      help: "tRPC procedure calls (HTTP and server components) by procedure, type and result code.",
      labelNames: ["procedure", "type", "code"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      registers: [registry],
    }),
    loginFailures: new Counter({
      name: "web_login_failures_total",
      help: "Sign-ins refused for a wrong email or password.",
      registers: [registry],
    }),
    loginLocks: new Counter({
      name: "web_login_locks_total",
      help: "Sign-in (and sign-up) attempts refused because the email or address is locked after failures.",
      registers: [registry],
    }),
  };
}

// One registry per server process, whichever of Next's bundle layers records into it.
const globalForMetrics = globalThis as unknown as { cookbookMetrics?: ReturnType<typeof createWebMetrics> };

export function webMetrics() {
  globalForMetrics.cookbookMetrics ??= createWebMetrics();
  return globalForMetrics.cookbookMetrics;
}

/** Call where a sign-in is refused for a wrong email or password. */
export const recordLoginFailure = (): void => webMetrics().loginFailures.inc();

/** Call where an attempt is refused because of a lock. */
export const recordLoginLock = (): void => webMetrics().loginLocks.inc();

/** GET /metrics: Prometheus' text format for a caller with `Authorization: Bearer <LAB_RUNNER_SECRET>`. */
export async function metricsResponse(req: Request, secret: string): Promise<Response> {
  const header = req.headers.get("authorization") ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return Response.json({ error: { message: "Metrics need the internal secret." } }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  const { registry } = webMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
