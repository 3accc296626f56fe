import type { Block, Inline } from "@cookbook/content";

const inlineText = (inlines: readonly Inline[]) => inlines.map((i) => (i.kind === "link" ? `${i.text} <${i.href}>` : i.text)).join("");

function blockText(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return inlineText(block.inlines);
    case "heading":
      return block.text;
    case "list":
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : "-"} ${inlineText(item)}`).join("\n");
    case "table":
      return [block.header, ...block.rows].map((row) => row.join(" | ")).join("\n");
    case "figure":
      return `[${block.label}] ${inlineText(block.caption)}`;
    case "code":
      return block.code;
  }
}

/**
 * A lesson's blocks as plain text, blocks separated by a blank line, for showing an instructor
 * what changed between two editions (a line diff of this text). Link targets and code stay in,
 * so a changed URL or snippet shows up too.
 */
export function lessonPlainText(blocks: readonly Block[]): string {
  return blocks.map(blockText).join("\n\n");
}
