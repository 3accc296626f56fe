import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { startSandboxInputSchema } from "../api/contract";
import { LabRunnerFailure } from "./errors";
import type { Logger } from "./observability/logger";
import type { SandboxManager } from "./sandbox-manager";

const maxBodyBytes = 64 * 1024;
const sandboxRoute = /^\/v1\/sandboxes\/([a-z0-9-]{1,40})(\/check)?$/;

export interface HttpApiOptions {
  manager: SandboxManager;
  secret: string;
  /** Answers GET /health: whatever the deployment's probes should know. */
  health: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

/** The JSON routes of the internal API (see ../api/contract.ts); every refusal is `{ error: { code, message } }`. */
export function createHttpApi({ manager, secret, health }: HttpApiOptions) {
  async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://lab-runner");
    if (req.method === "GET" && url.pathname === "/health") {
      const { ok, details } = await health();
      return { status: ok ? 200 : 503, body: { status: ok ? "ok" : "degraded", ...details } };
    }
    if (!authorized(req.headers.authorization, secret)) throw new LabRunnerFailure("UNAUTHORIZED", "Missing or wrong lab-runner credentials.");
    if (url.pathname === "/v1/sandboxes" && req.method === "POST") {
      const input = parse(startSandboxInputSchema, await readJson(req));
      const { sandbox, created } = await manager.start(input);
      return { status: created ? 201 : 200, body: { sandbox, created } };
    }
    const match = sandboxRoute.exec(url.pathname);
    if (match) {
      const [, id = "", check] = match;
      if (check && req.method === "POST") return { status: 200, body: await manager.check(id) };
      if (!check && req.method === "GET") return { status: 200, body: { sandbox: await manager.view(id) } };
      if (!check && req.method === "DELETE") return { status: 200, body: { sandbox: await manager.stop(id) } };
    }
    return { status: 404, body: { error: { code: "BAD_REQUEST", message: `No route ${req.method} ${url.pathname}.` } } };
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
  const message = result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
  throw new LabRunnerFailure("BAD_REQUEST", message);
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
