import type { Locator } from "@playwright/test";

/** The terminal's visible rows, as text (xterm's DOM renderer). */
export const screenRows = (terminal: Locator) => terminal.locator(".xterm-rows > div").allInnerTexts();

/** The shell waits for input: the last non-empty row is a bare prompt. */
export async function atPrompt(terminal: Locator): Promise<boolean> {
  const rows = (await screenRows(terminal)).map((r) => r.replace(/\u00a0/g, " ").trimEnd()).filter((r) => r !== "");
  return /\$$/.test(rows.at(-1) ?? "");
}
