/**
 * Serves the web app: a Node HTTP server that sanitises forwarded headers (see web-server.ts)
 * in front of Next's request handler. The launcher starts it instead of `next start`/`next dev`.
 * Usage: tsx scripts/web-server.ts [--dev]   (PORT, HOST, TRUSTED_PROXIES and the app's settings from the environment)
 */
import next from "next";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../src/env";
import { createWebServer, listen, PortInUseError, type RequestHandler, type UpgradeHandler } from "../src/server/http/web-server";

const dev = process.argv.includes("--dev");
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The port is taken first, so a conflict is reported at once rather than after Next has compiled.
let ready: Promise<{ handle: RequestHandler; upgrade: UpgradeHandler }> | null = null;
const server = createWebServer({
  trusted: env.TRUSTED_PROXIES,
  handle: async (req, res) => (await (ready ?? Promise.reject(new Error("not started")))).handle(req, res),
  upgrade: (req, socket, head) => {
    void ready?.then(
      (r) => r.upgrade(req, socket, head),
      () => socket.destroy(),
    );
  },
});
try {
  await listen(server, env.PORT, env.HOST);
} catch (error) {
  const message =
    error instanceof PortInUseError
      ? error.message
      : `cannot listen on ${env.HOST}:${env.PORT} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set PORT or HOST and start again`;
  console.error(`[web] ${message}`);
  process.exit(1);
}

const app = next({ dev, dir, hostname: env.HOST, port: env.PORT, httpServer: server });
ready = app.prepare().then(() => ({ handle: app.getRequestHandler(), upgrade: app.getUpgradeHandler() }));
await ready;
console.log(`[web] Ready on ${env.HOST}:${env.PORT}${dev ? " (dev)" : ""}`);

const close = () => server.close(() => process.exit(0));
process.on("SIGTERM", close);
process.on("SIGINT", close);
