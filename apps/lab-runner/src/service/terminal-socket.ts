import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import * as z from "zod";
import { findRoute } from "@cookbook/lab-runner-api/routes";
import { verifyTerminalToken } from "@cookbook/lab-runner-api/terminal-token";
import { sandboxIdSchema } from "@cookbook/lab-runner-api/vocabulary";
import type { SandboxDriver } from "../driver/sandbox-driver";
import type { Logger } from "@cookbook/lab-runner-api/logging";
import type { SandboxManager } from "./sandbox-manager";
import type { SandboxStore } from "./sandbox-store";

const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().max(16_384) }),
  z.object({ type: z.literal("resize"), cols: z.number().int().min(10).max(500), rows: z.number().int().min(5).max(200) }),
]);

/** Close codes the page tells apart (4000–4999 are the application's own). */
export const terminalCloseCodes = { badToken: 4401, notRunning: 4404, tooMany: 4429 } as const;
const maxShellsPerSandbox = 3;
/** Typing pushes the idle deadline back, but one database write per keystroke would be wasteful. */
const touchEveryMs = 30_000;

export interface TerminalSocketOptions {
  manager: SandboxManager;
  store: SandboxStore;
  driver: SandboxDriver;
  secret: string;
  logger: Logger;
}

/**
 * The in-page terminal: a WebSocket per browser tab, a confined shell per socket. The browser
 * authenticates with the token the web app signed for this sandbox's owner.
 */
export function createTerminalSocket({ manager, store, driver, secret, logger }: TerminalSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const shells = new Map<string, number>();

  async function serve(ws: WebSocket, sandboxId: string, token: string): Promise<void> {
    // The browser may type (or resize) before the checks below are done: keep it for the shell.
    const early: string[] = [];
    const keep = (raw: unknown) => early.push(String(raw));
    ws.on("message", keep);
    const grant = verifyTerminalToken(token, sandboxId, secret);
    const row = grant ? await store.getAcrossTenants(sandboxId) : null;
    if (!grant || !row || row.userId !== grant.userId)
      return ws.close(terminalCloseCodes.badToken, "This terminal link is invalid or expired; reload the page.");
    const unavailable = await manager.unavailableReason(sandboxId);
    if (unavailable) return ws.close(terminalCloseCodes.notRunning, unavailable);
    if ((shells.get(sandboxId) ?? 0) >= maxShellsPerSandbox)
      return ws.close(terminalCloseCodes.tooMany, "Too many terminals open on this lab; close one.");
    const shell = await driver.openShell(sandboxId, { cols: 100, rows: 30 });
    shells.set(sandboxId, (shells.get(sandboxId) ?? 0) + 1);
    let lastTouch = 0;
    shell.onData((data) => ws.readyState === ws.OPEN && ws.send(data));
    shell.onExit(() => ws.close(1000, "The shell exited."));
    const receive = (raw: unknown) => {
      const parsed = clientMessageSchema.safeParse(safeJson(String(raw)));
      if (!parsed.success) return;
      if (parsed.data.type === "resize") return shell.resize(parsed.data.cols, parsed.data.rows);
      shell.write(parsed.data.data);
      if (Date.now() - lastTouch > touchEveryMs) {
        lastTouch = Date.now();
        void manager.touch(sandboxId).catch(() => {});
      }
    };
    ws.off("message", keep);
    ws.on("message", receive);
    for (const raw of early.splice(0)) receive(raw);
    ws.on("close", () => {
      shell.kill();
      shells.set(sandboxId, (shells.get(sandboxId) ?? 1) - 1);
    });
  }

  return {
    /** Handles the HTTP upgrade for terminal URLs; returns false for anything else. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      const url = new URL(req.url ?? "/", "http://lab-runner");
      const match = findRoute(req.method ?? "GET", url.pathname);
      const id = sandboxIdSchema.safeParse(match?.params.id);
      if (match?.name !== "terminal" || !id.success) return false;
      const sandboxId = id.data;
      wss.handleUpgrade(req, socket, head, (ws) => {
        serve(ws, sandboxId, url.searchParams.get("token") ?? "").catch((error: unknown) => {
          logger.error({ sandboxId, err: error }, "terminal could not be opened");
          ws.close(1011, "The terminal could not be opened.");
        });
      });
      return true;
    },
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
