import { createLabRunnerClient, type LabRunnerClient } from "@cookbook/lab-runner-api/client";
import { env } from "~/env";
import { currentRequestId } from "~/server/observability/request-scope";

/**
 * Two clients of lab-runner's internal API: grading may take minutes (a Spark job's output), while
 * everything else answers at once, so a hung lab-runner must not hold a page for long.
 */
type Clients = { quick: LabRunnerClient; grading: LabRunnerClient };

// One pair per server process; Next may evaluate this module more than once in dev.
const globalForLabRunner = globalThis as unknown as { cookbookLabRunner?: Clients };

function clients(): Clients {
  globalForLabRunner.cookbookLabRunner ??= {
    // Each call carries the id of the request it serves, so lab-runner's log lines can be joined with ours.
    quick: createLabRunnerClient({ baseUrl: env.LAB_RUNNER_URL, secret: env.LAB_RUNNER_SECRET, timeoutMs: 15_000, requestId: currentRequestId }),
    grading: createLabRunnerClient({ baseUrl: env.LAB_RUNNER_URL, secret: env.LAB_RUNNER_SECRET, timeoutMs: 300_000, requestId: currentRequestId }),
  };
  return globalForLabRunner.cookbookLabRunner;
}

/** lab-runner for starting, status, stopping: answers within seconds or counts as unavailable. */
export const labRunner = (): LabRunnerClient => clients().quick;

/** lab-runner for "Check my work". */
export const labRunnerGrading = (): LabRunnerClient => clients().grading;

/** Where the learner's browser opens the terminal WebSocket. */
export const labRunnerPublicUrl = () => env.LAB_RUNNER_PUBLIC_URL ?? env.LAB_RUNNER_URL;

export const labRunnerSecret = () => env.LAB_RUNNER_SECRET;
