import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env, publicUrl } from "~/env";
import { originRefusal } from "~/server/auth/request-origin";
import { requestSource } from "~/server/auth/request-source";
import { observeRoute } from "~/server/observability/request-scope";
import { createContext } from "~/server/trpc/context";
import { appRouter } from "~/server/trpc/root";

/** Enough for a page's queries; more in one request only multiplies what one request may cost. */
const maxBatchSize = 10;

async function handler(req: Request): Promise<Response> {
  // Mutations must come from our own pages (a cross-site form or fetch has a foreign Origin), and
  // every call must name our host (DNS rebinding).
  const refusal = originRefusal(req, requestSource(req.headers, env.TRUSTED_PROXIES), publicUrl);
  if (refusal) return Response.json({ error: { message: refusal } }, { status: refusal === "Unknown host." ? 421 : 403 });
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize,
    // The browser's batch link sends `?batch=1` even for one call; only a batch of several is "batched".
    createContext: ({ resHeaders, info }) => createContext({ headers: req.headers, url: req.url, resHeaders, batched: info.calls.length > 1 }),
  });
}

const observed = observeRoute(handler);

export { observed as GET, observed as POST };
