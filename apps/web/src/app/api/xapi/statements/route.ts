import { listEventsAfter, maxEventPage } from "@cookbook/db/queries/learning-events";
import { getMembership } from "@cookbook/db/queries/tenants";
import { withTenant } from "@cookbook/db/tenant-scope";
import { formatZodError } from "@cookbook/lab-runner-api/vocabulary";
import { z } from "zod";
import { env, publicUrl } from "~/env";
import { originRefusal } from "~/server/auth/request-origin";
import { requestSource } from "~/server/auth/request-source";
import { toStatement } from "~/server/events/xapi";
import { observeRoute } from "~/server/observability/request-scope";
import { createContext } from "~/server/trpc/context";

export const dynamic = "force-dynamic";

const query = z.object({
  /** The id of the last event already fetched (0: from the start). */
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(maxEventPage).default(maxEventPage),
});

const json = (status: number, body: unknown, headers: Headers = new Headers()) => {
  headers.set("Cache-Control", "no-store");
  headers.set("X-Experience-API-Version", "1.0.3");
  return Response.json(body, { status, headers });
};

/**
 * GET /api/xapi/statements?since=<event id>&limit=<1..1000>: the active organisation's learning
 * events as xAPI 1.0.3 statements, `{ statements, more }` as an LRS's statement query answers,
 * `more` being the address of the next page or "". For the organisation's owners only, signed
 * in with the same session cookie (and the same checks) as the tRPC API.
 */
async function handler(req: Request): Promise<Response> {
  const refusal = originRefusal(req, requestSource(req.headers, env.TRUSTED_PROXIES), publicUrl);
  if (refusal) return json(refusal === "Unknown host." ? 421 : 403, { error: { message: refusal } });
  const resHeaders = new Headers();
  const ctx = await createContext({ headers: req.headers, url: req.url, resHeaders });
  if (!ctx.user || !ctx.session) return json(401, { error: { message: "Please sign in." } }, resHeaders);
  const tenantId = ctx.session.activeTenantId;
  const membership = tenantId ? await getMembership(ctx.db, { tenantId, userId: ctx.user.id }) : null;
  if (!membership) return json(403, { error: { message: "Choose an organisation first." } }, resHeaders);
  if (membership.role !== "owner") return json(403, { error: { message: `This needs the owner role in ${membership.name}.` } }, resHeaders);

  const url = new URL(req.url);
  const parsed = query.safeParse({ since: url.searchParams.get("since") ?? undefined, limit: url.searchParams.get("limit") ?? undefined });
  if (!parsed.success) return json(400, { error: { message: formatZodError(parsed.error) } }, resHeaders);
  const { since, limit } = parsed.data;

  const page = await withTenant(ctx.db, { tenantId: membership.tenantId, userId: ctx.user.id }, (tx) =>
    listEventsAfter(tx, { tenantId: membership.tenantId, afterId: since, limit }),
  );
  const last = page.events.at(-1);
  const next = new URL("/api/xapi/statements", publicUrl);
  if (last) next.search = new URLSearchParams({ since: String(last.id), limit: String(limit) }).toString();
  return json(200, { statements: page.events.map((e) => toStatement(e, publicUrl)), more: page.more && last ? next.toString() : "" }, resHeaders);
}

const observed = observeRoute(handler);

export { observed as GET };
