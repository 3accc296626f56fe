import { env } from "~/env";
import { metricsResponse } from "~/server/observability/metrics";

// Counters live in this process: never a build-time snapshot.
export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint, behind the internal secret (see README "Operations"). */
export function GET(req: Request) {
  return metricsResponse(req, env.LAB_RUNNER_SECRET);
}
