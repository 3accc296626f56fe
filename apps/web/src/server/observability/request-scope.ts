import { AsyncLocalStorage } from "node:async_hooks";
import { requestIdFrom, requestIdHeader } from "@cookbook/lab-runner-api/request-id";
import type { TRPCError } from "@trpc/server";
import { logger, type Logger } from "./logger";
import { webMetrics } from "./metrics";

interface RequestScope {
  requestId: string;
  log: Logger;
}

// Shared across Next's bundle layers, like the logger: a route handler and the procedures it runs must see one store.
const globalForScope = globalThis as unknown as { cookbookRequestScope?: AsyncLocalStorage<RequestScope> };
globalForScope.cookbookRequestScope ??= new AsyncLocalStorage<RequestScope>();
const scope = globalForScope.cookbookRequestScope;

/** The id of the request being served (sent on to lab-runner), if any. */
export const currentRequestId = (): string | undefined => scope.getStore()?.requestId;

/** The logger of the request being served: its lines carry `requestId`. */
export const requestLog = (): Logger => scope.getStore()?.log ?? logger();

const internalErrorBody = { error: { message: "Something went wrong on our side. Please try again." } };

/**
 * Wraps a route handler: the request gets the caller's `x-request-id` when sane (else a new one),
 * echoed in the response, and one log line when answered. The query string stays out of the
 * log: tRPC queries carry their input there.
 */
export function observeRoute(handler: (req: Request) => Response | Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    const requestId = requestIdFrom(req.headers.get(requestIdHeader));
    const log = logger().child({ requestId });
    const started = performance.now();
    const response = await scope.run({ requestId, log }, () =>
      Promise.resolve(req)
        .then(handler)
        .catch((error: unknown) => {
          log.error({ err: error }, "route handler failed");
          return Response.json(internalErrorBody, { status: 500 });
        }),
    );
    response.headers.set(requestIdHeader, requestId);
    const path = new URL(req.url).pathname;
    const status = response.status;
    log[status >= 500 ? "error" : "info"](
      { method: req.method, path, status, durationMs: Math.round(performance.now() - started) },
      `${req.method} ${path} ${status}`,
    );
    return response;
  };
}

type ProcedureResult = { ok: true } | { ok: false; error: TRPCError };

/**
 * tRPC middleware body for every procedure (HTTP and server components alike): its latency by
 * procedure and outcome, and for an internal error the error with its stack, here only: users
 * get the error formatter's generic message. A call outside a route handler (a server
 * component's) gets a request id of its own.
 */
export async function observeProcedure<R extends ProcedureResult>(path: string, type: string, next: () => Promise<R>): Promise<R> {
  const outer = scope.getStore();
  const requestId = outer?.requestId ?? requestIdFrom(undefined);
  const log = outer?.log ?? logger().child({ requestId });
  const started = performance.now();
  const result = await scope.run({ requestId, log }, next);
  const seconds = (performance.now() - started) / 1000;
  const code = result.ok ? "OK" : result.error.code;
  webMetrics().procedureSeconds.observe({ procedure: path, type, code }, seconds);
  const fields = { procedure: path, type, code, durationMs: Math.round(seconds * 1000) };
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR")
    log.error({ ...fields, err: result.error.cause ?? result.error }, `${path} failed`);
  else log.debug(fields, path);
  return result;
}
