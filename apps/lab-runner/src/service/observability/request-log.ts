import type { IncomingMessage, ServerResponse } from "node:http";
import { requestIdFrom, requestIdHeader } from "@cookbook/lab-runner-api/request-id";
import type { Logger } from "@cookbook/lab-runner-api/logging";
import { matchRoute, type LabRunnerMetrics } from "./metrics";

export type ObservedHandler = (req: IncomingMessage, res: ServerResponse, log: Logger) => Promise<void>;

/**
 * Wraps the HTTP handler: each request gets the caller's request id (or a new one), echoed in
 * the response, a child logger carrying it, one log line when it finishes and a latency sample
 * per route pattern. Probes (/health, /metrics) log at debug: they arrive every few seconds.
 */
export function observeRequests({ logger, metrics }: { logger: Logger; metrics: LabRunnerMetrics }, handler: ObservedHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFrom(req.headers[requestIdHeader]);
    const { route, sandboxId } = matchRoute(req);
    const log = logger.child(sandboxId ? { requestId, sandboxId } : { requestId });
    res.setHeader(requestIdHeader, requestId);
    const method = req.method ?? "GET";
    const started = performance.now();
    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.statusCode;
      metrics.httpRequestSeconds.observe({ method, route, status: String(status) }, seconds);
      const level = status >= 500 ? "error" : route === "/health" || route === "/metrics" ? "debug" : "info";
      log[level]({ method, route, status, durationMs: Math.round(seconds * 1000) }, `${method} ${route} ${status}`);
    });
    handler(req, res, log).catch((error: unknown) => {
      log.error({ err: error }, "request handler failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong in the lab service." } }));
    });
  };
}
