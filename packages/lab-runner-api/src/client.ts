import { errorBodySchema, type LabRunnerErrorCode, type StartSandboxInput } from "./contract";
import { requestIdHeader } from "./request-id";
import { labRunnerRoutes, routePath, type JsonRouteName, type RouteInput, type RouteOutput, type RouteParams } from "./routes";

/** A refusal from lab-runner (limit, unknown lab, ...) or its absence (UNAVAILABLE), with a message fit for a learner. */
export class LabRunnerError extends Error {
  constructor(
    readonly code: LabRunnerErrorCode | "UNAVAILABLE",
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "LabRunnerError";
  }
}

export interface LabRunnerClientOptions {
  baseUrl: string;
  secret: string;
  /** Grading a Spark lab reads job output and can take a while; everything else is quick. */
  timeoutMs?: number;
  /** The id of the request being served, sent along so lab-runner's log lines carry the caller's id. */
  requestId?: () => string | undefined;
}

export function createLabRunnerClient({ baseUrl, secret, timeoutMs = 120_000, requestId }: LabRunnerClientOptions) {
  async function call<N extends JsonRouteName>(name: N, params: RouteParams<N>, body?: RouteInput<N>): Promise<RouteOutput<N>> {
    const route = labRunnerRoutes[name];
    let response: Response;
    const id = requestId?.();
    try {
      response = await fetch(new URL(routePath(name, params), baseUrl), {
        method: route.method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(id ? { [requestIdHeader]: id } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new LabRunnerError("UNAVAILABLE", "The lab service is not reachable right now. Try again in a minute.", 503);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json);
      if (parsed.success) throw new LabRunnerError(parsed.data.error.code, parsed.data.error.message, response.status);
      throw new LabRunnerError("INTERNAL", `The lab service answered ${response.status}.`, response.status);
    }
    return route.output.parse(json) as RouteOutput<N>;
  }

  return {
    /** Idempotent per learner and lab: a second start returns the live sandbox (and repairs stopped services). */
    start: (input: StartSandboxInput) => call("startSandbox", {}, input),
    get: (sandboxId: string) => call("getSandbox", { id: sandboxId }).then((r) => r.sandbox),
    check: (sandboxId: string) => call("checkSandbox", { id: sandboxId }),
    /** Idempotent: stopping an ended sandbox returns it unchanged. */
    stop: (sandboxId: string) => call("stopSandbox", { id: sandboxId }).then((r) => r.sandbox),
    /** ws(s) URL of the sandbox's terminal for a browser holding `token` (see terminal-token.ts). */
    terminalUrl: (publicBaseUrl: string, sandboxId: string, token: string) => {
      const url = new URL(routePath("terminal", { id: sandboxId }), publicBaseUrl);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return url.toString();
    },
  };
}
export type LabRunnerClient = ReturnType<typeof createLabRunnerClient>;
