"use client";

import { useEffect, useState } from "react";
import { pasteIntoTerminal } from "./lab-terminal";

/**
 * "Copy" (to the clipboard) and, for shell code while a terminal is open, "Run in terminal",
 * which pastes the code at the terminal's prompt and leaves pressing Enter to the learner.
 */
export function CodeBlockActions({ code, runnable }: { code: string; runnable: boolean }) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(code).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  return (
    <div className="code-actions">
      <button type="button" className="secondary small" onClick={copy}>
        {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
      </button>
      {runnable && (
        <button
          type="button"
          className="secondary small"
          onClick={() => pasteIntoTerminal(code)}
          title="Pastes into the terminal; press Enter to run"
        >
          Run in terminal
        </button>
      )}
    </div>
  );
}
