import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@cookbook/lab-runner-api/logging";
import { findRoute, type JsonRouteName, type RouteInput, type RouteOutput } from "@cookbook/lab-runner-api/routes";
import { formatZodError, sandboxIdSchema } from "@cookbook/lab-runner-api/vocabulary";
import type * as z from "zod";
import { LabRunnerFailure } from "./errors";
import type { SandboxManager } from "./sandbox-manager";

const maxBodyBytes = 64 * 1024;

type Handler<N extends JsonRouteName> = (request: { sandboxId: string; body: RouteInput<N> }) => Promise<{ status: number; body: RouteOutput<N> }>;

export interface HttpApiOptions {
  manager: SandboxManager;
  secret: string;
  /** Answers GET /health: whatever the deployment's probes should know. */
  health: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

/** The JSON routes of the internal API (see @cookbook/lab-runner-api/routes); every refusal is `{ error: { code, message } }`. */
export function createHttpApi({ manager, secret, health }: HttpApiOptions) {
  // One handler per JSON route of the table: a route added there without one here does not compile.
  const handlers: { [N in JsonRouteName]: Handler<N> } = {
    health: async () => {
      const { ok, details } = await health();
      return { status: ok ? 200 : 503, body: { status: ok ? "ok" : "degraded", ...details } };
    },
    startSandbox: async ({ body }) => {
      const { sandbox, created } = await manager.start(body);
      return { status: created ? 201 : 200, body: { sandbox, created } };
    },
    getSandbox: async ({ sandboxId }) => ({ status: 200, body: { sandbox: await manager.view(sandboxId) } }),
    stopSandbox: async ({ sandboxId }) => ({ status: 200, body: { sandbox: await manager.stop(sandboxId) } }),
    checkSandbox: async ({ sandboxId }) => ({ status: 200, body: await manager.check(sandboxId) }),
  };

  async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://lab-runner");
    const match = findRoute(req.method ?? "GET", url.pathname);
    const jsonRoute = match?.route.kind === "json" ? match.route : null;
    // Unknown routes are refused after the credentials, so they tell an outsider nothing.
    if (jsonRoute?.authenticated !== false && !authorized(req.headers.authorization, secret)) {
      throw new LabRunnerFailure("UNAUTHORIZED", "Missing or wrong lab-runner credentials.");
    }
    if (!match || !jsonRoute) return { status: 404, body: { error: { code: "BAD_REQUEST", message: `No route ${req.method} ${url.pathname}.` } } };
    const name = match.name as JsonRouteName;
    let sandboxId = "";
    if (match.params.id !== undefined) {
      const id = sandboxIdSchema.safeParse(match.params.id);
      if (!id.success) throw new LabRunnerFailure("SANDBOX_NOT_FOUND", "No such lab sandbox.");
      sandboxId = id.data;
    }
    const body = jsonRoute.input ? parse(jsonRoute.input, await readJson(req)) : undefined;
    const handler = handlers[name] as Handler<typeof name>;
    return handler({ sandboxId, body: body as RouteInput<typeof name> });
  }

  return async (req: IncomingMessage, res: ServerResponse, log: Logger) => {
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await route(req));
    } catch (error) {
      if (error instanceof LabRunnerFailure) {
        ({ status, body } = { status: error.status, body: { error: { code: error.code, message: error.message } } });
      } else {
        // Internals stay in the log; callers get a message they can show.
        log.error({ err: error }, "internal error");
        ({ status, body } = { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong in the lab service." } } });
      }
    }
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
  };
}

export function authorized(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new LabRunnerFailure("BAD_REQUEST", formatZodError(result.error));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new LabRunnerFailure("BAD_REQUEST", "Request body too large.");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new LabRunnerFailure("BAD_REQUEST", "The request body is not JSON.");
  }
}
