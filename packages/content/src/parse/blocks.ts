import type { Block } from "../course-model";
import type { BodyItem } from "./body";
import { cleanLine, joinWrapped } from "./clean-text";
import { toInlines } from "./inlines";

type Draft =
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; rows: string[][] }
  | { kind: "figure"; label: string; caption: string }
  | { kind: "heading"; text: string };

const FIGURE = /^Figure\s+(\d+\.\d+):\s*(.*)$/;
const BULLET = /^-(?:\s+|(?=[A-Z]))(.+)$/;
const TERMINATED = /(?:[.!?:;…)]|[.!?]["'”])$/;
/** A sentence cut after one of these words goes on, even when the next part starts with a capital. */
const OPEN_ENDING = /\b(?:a|an|the|of|to|with|and|or|in|on|for|by|from|at|as|into)$/i;

/**
 * Turns the lines of a section into blocks. The extraction put most paragraphs on one
 * line each, separated by blank lines, but also broke some sentences across a blank
 * line ("...the" / "Internet of Things side.") and even across a figure; those are
 * joined back, with the figure placed after the paragraph.
 */
export function toBlocks(items: readonly BodyItem[]): Block[] {
  const drafts: Draft[] = [];
  let heldFigures: Draft[] = [];
  let afterBlank = true;
  const releaseFigures = () => {
    drafts.push(...heldFigures);
    heldFigures = [];
  };

  for (const item of items) {
    if (item.kind === "heading") {
      releaseFigures();
      drafts.push({ kind: "heading", text: item.text });
      afterBlank = true;
      continue;
    }
    const last = drafts.at(-1);
    if (item.text.includes("\t")) {
      releaseFigures();
      const cells = item.text.split("\t").map(cleanLine);
      if (last?.kind === "table" && !afterBlank) last.rows.push(cells);
      else drafts.push({ kind: "table", rows: [cells] });
      afterBlank = false;
      continue;
    }
    const line = cleanLine(item.text);
    if (!line) {
      afterBlank = true;
      continue;
    }
    const figure = FIGURE.exec(line);
    const bullet = BULLET.exec(line);
    const open = openText(drafts);
    if (figure?.[1] !== undefined) {
      const draft: Draft = { kind: "figure", label: `Figure ${figure[1]}`, caption: figure[2] ?? "" };
      if (open !== undefined && !TERMINATED.test(open)) heldFigures.push(draft);
      else drafts.push(draft);
      afterBlank = true;
    } else if (bullet?.[1] !== undefined) {
      releaseFigures();
      const list = drafts.at(-1);
      if (list?.kind === "list") list.items.push(bullet[1]);
      else drafts.push({ kind: "list", items: [bullet[1]] });
      afterBlank = false;
    } else {
      const wraps = open !== undefined && ((!afterBlank && heldFigures.length === 0) || continues(open, line));
      if (wraps) appendToOpenText(drafts, line);
      releaseFigures();
      if (!wraps) drafts.push({ kind: "paragraph", text: line });
      afterBlank = false;
    }
  }
  releaseFigures();
  return drafts.map(toBlock);
}

/** The text a following line could continue: the last paragraph, or the last list item. */
function openText(drafts: readonly Draft[]): string | undefined {
  const last = drafts.at(-1);
  if (last?.kind === "paragraph") return last.text;
  if (last?.kind === "list") return last.items.at(-1);
  return undefined;
}

function appendToOpenText(drafts: Draft[], line: string): void {
  const last = drafts.at(-1);
  if (last?.kind === "paragraph") last.text = joinWrapped(last.text, line);
  if (last?.kind === "list") {
    const item = last.items.pop();
    last.items.push(item === undefined ? line : joinWrapped(item, line));
  }
}

function continues(before: string, line: string): boolean {
  if (TERMINATED.test(before) || /^https?:\/\//.test(line)) return false;
  return /^[a-z]/.test(line) || OPEN_ENDING.test(before);
}

function toBlock(draft: Draft): Block {
  switch (draft.kind) {
    case "paragraph":
      return { kind: "paragraph", inlines: toInlines(draft.text) };
    case "list":
      return { kind: "list", ordered: false, items: draft.items.map(toInlines) };
    case "table": {
      const [header = [], ...rows] = draft.rows;
      return { kind: "table", header, rows };
    }
    case "figure":
      return { kind: "figure", label: draft.label, caption: toInlines(draft.caption) };
    case "heading":
      return { kind: "heading", text: draft.text };
  }
}
