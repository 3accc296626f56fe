import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { verifyRequestOrigin } from "lucia";
import { observeRoute } from "~/server/observability/request-scope";
import { createContext } from "~/server/trpc/context";
import { appRouter } from "~/server/trpc/root";

/** Mutations must come from our own pages: a cross-site form or fetch has a foreign Origin. */
function isSameOrigin(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD") return true;
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  return origin !== null && host !== null && verifyRequestOrigin(origin, [host]);
}

function handler(req: Request) {
  if (!isSameOrigin(req)) {
    return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext({ headers: req.headers, url: req.url, resHeaders }),
  });
}

const observed = observeRoute(handler);

export { observed as GET, observed as POST };
