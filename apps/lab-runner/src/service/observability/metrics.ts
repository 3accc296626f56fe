import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "@cookbook/db/client";
import { labSandboxes } from "@cookbook/db/schema";
import { matchRoutes } from "@cookbook/lab-runner-api/routes";
import { sandboxLifecycleStates } from "@cookbook/lab-runner-api/vocabulary";
import { count } from "drizzle-orm";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Provisioning takes seconds to a minute; checks milliseconds to minutes (a Spark lab). */
const provisionBuckets = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300];
const checkBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const requestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/**
 * lab-runner's Prometheus series, in a registry of its own per server (tests run several servers
 * in one process). The sandbox gauge is read from Postgres at scrape time: Postgres, not this
 * replica's memory, knows every replica's sandboxes.
 */
export function createLabRunnerMetrics(db: Database) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequestSeconds = new Histogram({
    name: "lab_runner_http_request_duration_seconds",
    help: "Internal API requests by route pattern, method and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: requestBuckets,
    registers: [registry],
  });
  const provisionSeconds = new Histogram({
    name: "lab_runner_sandbox_provision_duration_seconds",
    help: "From the start of provisioning to a running sandbox (outcome running) or its failure (outcome failed).",
    labelNames: ["lab", "outcome"] as const,
    buckets: provisionBuckets,
    registers: [registry],
  });
  const checkSeconds = new Histogram({
    name: "lab_runner_sandbox_check_duration_seconds",
    help: "Grading one sandbox (all steps of its lab).",
    labelNames: ["lab", "outcome"] as const,
    buckets: checkBuckets,
    registers: [registry],
  });
  const reaperActions = new Counter({
    name: "lab_runner_reaper_actions_total",
    help: "Sandboxes ended by the reaper (expired, idle) and by reconciliation at start (lost, orphan).",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "lab_runner_sandboxes",
    help: "Sandboxes in lab_sandboxes by state (all replicas).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const rows = await db.select({ state: labSandboxes.state, n: count() }).from(labSandboxes).groupBy(labSandboxes.state);
      // Every state gets a sample, so a state that emptied reads 0 rather than its last value.
      for (const state of sandboxLifecycleStates) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
    },
  });
  return { registry, httpRequestSeconds, provisionSeconds, checkSeconds, reaperActions };
}
export type LabRunnerMetrics = ReturnType<typeof createLabRunnerMetrics>;

/** GET /metrics in Prometheus' text format, for callers holding the internal secret. */
export async function serveMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(body);
}

/**
 * The route pattern of a request (so ids never become label values: one series per sandbox
 * would grow without bound) and the sandbox it is about, for its log line.
 */
export function matchRoute(req: IncomingMessage): { route: string; sandboxId?: string } {
  const [match] = matchRoutes(new URL(req.url ?? "/", "http://lab-runner").pathname);
  if (!match) return { route: "unmatched" };
  return match.params.id === undefined ? { route: match.route.path } : { route: match.route.path, sandboxId: match.params.id };
}
