"use client";

import "@xterm/xterm/css/xterm.css";
import type { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "~/trpc/react";

type Connection = { state: "connecting" } | { state: "open" } | { state: "closed"; message: string };

/** lab-runner's close codes (see its terminal protocol). */
function closeMessage(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1000) return "The shell exited.";
  if (code === 4401) return "The terminal link expired.";
  if (code === 4404) return "The lab is not running, so there is no terminal.";
  if (code === 4429) return "Too many terminals are open on this lab; close one.";
  return "The terminal connection was lost.";
}

/**
 * The sandbox's shell in the page: xterm.js over a WebSocket straight to lab-runner, opened with
 * a short-lived URL from `labs.terminal`. Keystrokes go out as `{"type":"input"}` frames, the
 * size as `{"type":"resize"}`; what comes back is terminal output.
 */
export function LabTerminal({ sandboxId }: { sandboxId: string }) {
  const client = useTRPCClient();
  const container = useRef<HTMLDivElement>(null);
  const [connection, setConnection] = useState<Connection>({ state: "connecting" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let disposed = false;
    let socket: WebSocket | null = null;
    let terminal: Terminal | null = null;
    let observer: ResizeObserver | null = null;
    setConnection({ state: "connecting" });

    const send = (frame: object) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    };

    async function connect(retryExpired: boolean) {
      let grant: { url: string };
      try {
        grant = await client.labs.terminal.mutate({ sandboxId });
      } catch (error) {
        if (!disposed) setConnection({ state: "closed", message: error instanceof Error ? error.message : "The terminal could not be opened." });
        return;
      }
      if (disposed || !terminal) return;
      const term = terminal;
      const ws = new WebSocket(grant.url);
      socket = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        setConnection({ state: "open" });
        send({ type: "resize", cols: term.cols, rows: term.rows });
        term.focus();
      };
      ws.onmessage = (event: MessageEvent<unknown>) => {
        if (typeof event.data === "string") term.write(event.data);
        else if (event.data instanceof ArrayBuffer) term.write(new Uint8Array(event.data));
      };
      ws.onclose = (event) => {
        if (disposed || socket !== ws) return;
        // A link that expired before it was used is simply asked for again, once.
        if (event.code === 4401 && !opened && retryExpired) {
          void connect(false);
          return;
        }
        setConnection({ state: "closed", message: closeMessage(event.code, event.reason) });
      };
    }

    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      const element = container.current;
      if (disposed || !element) return;
      const term = new Terminal({
        cursorBlink: true,
        fontSize: 13,
        fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace',
        scrollback: 5000,
        theme: { background: "#1f2430", foreground: "#e6e6e6" },
      });
      terminal = term;
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(element);
      fit.fit();
      term.onData((data) => send({ type: "input", data }));
      term.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(element);
      await connect(true);
    })();

    return () => {
      disposed = true;
      socket?.close(1000);
      observer?.disconnect();
      terminal?.dispose();
    };
  }, [client, sandboxId, generation]);

  return (
    <section className="lab-terminal" aria-label="Lab terminal">
      <div className="row">
        <h3>Terminal</h3>
        <span role="status" className="muted" data-testid="terminal-status">
          {connection.state === "connecting" ? "Connecting…" : connection.state === "open" ? "Connected" : "Disconnected"}
        </span>
      </div>
      <div ref={container} className="lab-terminal-screen" data-testid="lab-terminal-screen" />
      {connection.state === "closed" && (
        <p role="alert" className="error">
          {connection.message}{" "}
          <button type="button" className="link-button" onClick={() => setGeneration((n) => n + 1)}>
            Reconnect terminal
          </button>
        </p>
      )}
    </section>
  );
}
