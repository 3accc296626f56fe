import { loginThrottle } from "@cookbook/db/schema";
import { like } from "drizzle-orm";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadApi } from "~/server/testing/api-client";
import { parseTrustedProxies } from "../auth/trusted-proxies";
import { createWebServer, listen } from "./web-server";

// The server listens first: the public URL is its own address, whatever free port it gets.
let route: ((req: Request) => Promise<Response>) | null = null;
// TRUSTED_PROXIES unset, the default: no peer is a trusted proxy.
const server: Server = createWebServer({ trusted: parseTrustedProxies(""), handle: (req, res) => toRoute(req, res) });
await listen(server, 0, "127.0.0.1");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
process.env.PUBLIC_URL = base;
const { db, pool } = await loadApi();
route = (await import("~/app/api/trpc/[trpc]/route")).POST;

/** Next's role in production, played by the same route handler Next would call: Node request in, fetch Request to the route. */
async function toRoute(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  if (!route) throw new Error("route not loaded");
  const response = await route(new Request(`${base}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

afterAll(async () => {
  server.close();
  await pool.end();
});

const signIn = (email: string, headers: Record<string, string>) =>
  fetch(`${base}/api/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, ...headers },
    body: JSON.stringify({ email, password: "wrong password" }),
  });

describe("the web server in front of the app, over real HTTP", () => {
  it("a new X-Forwarded-For per request does not get around the lock, and the spoofed addresses are not locked", async () => {
    const email = `spoof-${randomUUID().slice(0, 8)}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const spoofed = `198.51.100.${i + 1}`;
      const res = await signIn(email, { "x-forwarded-for": spoofed, "x-real-ip": spoofed, forwarded: `for=${spoofed}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const keys = (await db.select({ key: loginThrottle.key }).from(loginThrottle).where(like(loginThrottle.key, "%198.51.100.%"))).map((r) => r.key);
    expect(keys).toEqual([]);
  });

  it("a spoofed X-Forwarded-Host does not pass the Origin check", async () => {
    const res = await signIn("a@example.test", { origin: "https://evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" });
    expect(res.status).toBe(403);
  });
});

describe("scripts/web-server.ts", () => {
  it("on a taken port names PORT and HOST, exits non-zero and prints no stack trace", async () => {
    const blocker = createServer();
    await listen(blocker, 0, "127.0.0.1");
    const port = (blocker.address() as AddressInfo).port;
    const webDir = path.resolve(import.meta.dirname, "../../..");
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts"], {
      cwd: webDir,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    blocker.close();
    expect(code).not.toBe(0);
    expect(output).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(output).toContain("set PORT");
    expect(output).not.toMatch(/\n\s+at /);
  });
});
