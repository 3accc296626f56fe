import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { forwardedHeaders } from "~/server/auth/request-source";
import { normalizeAddress, type TrustedProxies } from "~/server/auth/trusted-proxies";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

/**
 * Makes the forwarded headers say what the socket says. Next fills X-Forwarded-For from the
 * socket only when it is absent, so without this a client's own header would be believed. A
 * trusted proxy's headers stay and its address is appended; anyone else's are deleted and
 * X-Forwarded-For becomes the socket's peer alone.
 */
export function sanitizeForwardedHeaders(req: IncomingMessage, trusted: TrustedProxies): void {
  const peer = normalizeAddress(req.socket.remoteAddress ?? "");
  if (trusted.includes(peer)) {
    const chain = req.headers["x-forwarded-for"];
    const prior = Array.isArray(chain) ? chain.join(", ") : chain;
    req.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
    return;
  }
  for (const name of forwardedHeaders) delete req.headers[name];
  req.headers["x-forwarded-for"] = peer;
  // rawHeaders is what some handlers copy from; keep it consistent with `headers`.
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? "";
    if (!(forwardedHeaders as readonly string[]).includes(name.toLowerCase())) raw.push(name, req.rawHeaders[i + 1] ?? "");
  }
  raw.push("X-Forwarded-For", peer);
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
}

/** An HTTP server that sanitises forwarded headers, then hands every request (and WebSocket upgrade) on. */
export function createWebServer(opts: { trusted: TrustedProxies; handle: RequestHandler; upgrade?: UpgradeHandler }): Server {
  const server = createServer((req, res) => {
    sanitizeForwardedHeaders(req, opts.trusted);
    Promise.resolve(opts.handle(req, res)).catch(() => {
      // The handler's own error page failed too: answer without details rather than hang.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Something went wrong on our side. Please try again.");
    });
  });
  if (opts.upgrade) {
    const upgrade = opts.upgrade;
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      sanitizeForwardedHeaders(req, opts.trusted);
      upgrade(req, socket, head);
    });
  }
  return server;
}

/** The address is taken: the person starting the platform needs the variable to change, not a stack trace. */
export class PortInUseError extends Error {
  override name = "PortInUseError";
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use: set PORT to a free port (or HOST to another address) and start again`);
  }
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}
