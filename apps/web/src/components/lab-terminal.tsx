"use client";

import "@xterm/xterm/css/xterm.css";
import type { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "~/trpc/react";

type Connection = { state: "connecting" } | { state: "open" } | { state: "reconnecting"; attempt: number } | { state: "closed"; message: string };

/** Closes after which connecting again cannot help: the shell exited, the lab is not running, too many terminals. */
const finalCloseCodes = new Set([1000, 4404, 4429]);
/** Waits before reconnect attempts 1, 2, …; after the last the page offers a button instead. */
const reconnectDelaysMs = [250, 1000, 2000, 4000, 8000];

/** The event "Run in terminal" dispatches: its text is pasted into the terminal, and nothing presses Enter. */
export const terminalPasteEvent = "lab-terminal:paste";

/** Pastes text into the page's lab terminal (bash inserts it at the prompt; the learner presses Enter). */
export function pasteIntoTerminal(text: string): void {
  window.dispatchEvent(new CustomEvent<string>(terminalPasteEvent, { detail: text }));
}

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
 * size as `{"type":"resize"}`; what comes back is terminal output. Keys typed while the socket
 * is not open yet (after a reload) or again (while it reconnects by itself) wait in a queue and
 * go out once it opens, so nothing typed is lost.
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
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    const queuedInput: string[] = [];
    setConnection({ state: "connecting" });

    const send = (frame: object) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    };
    const sendInput = (data: string) => {
      if (socket?.readyState === WebSocket.OPEN) send({ type: "input", data });
      else queuedInput.push(data);
    };
    const onPaste = (event: Event) => {
      const text = (event as CustomEvent<unknown>).detail;
      if (typeof text !== "string" || !terminal) return;
      terminal.paste(text.replace(/\n+$/, ""));
      terminal.focus();
    };
    window.addEventListener(terminalPasteEvent, onPaste);

    async function connect(retryExpired: boolean, attempt: number) {
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
        if (queuedInput.length > 0) send({ type: "input", data: queuedInput.splice(0).join("") });
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
          void connect(false, attempt);
          return;
        }
        // A lost link (a restart, a network blip) is tried again by itself, a few times.
        const next = opened ? 0 : attempt;
        const delay = reconnectDelaysMs[next];
        if (!finalCloseCodes.has(event.code) && delay !== undefined) {
          setConnection({ state: "reconnecting", attempt: next + 1 });
          reconnectTimer = setTimeout(() => void connect(true, next + 1), delay);
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
      term.onData(sendInput);
      term.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(element);
      await connect(true, 0);
    })();

    return () => {
      disposed = true;
      clearTimeout(reconnectTimer);
      window.removeEventListener(terminalPasteEvent, onPaste);
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
          {connection.state === "connecting"
            ? "Connecting…"
            : connection.state === "open"
              ? "Connected"
              : connection.state === "reconnecting"
                ? `Reconnecting (attempt ${connection.attempt})…`
                : "Disconnected"}
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
