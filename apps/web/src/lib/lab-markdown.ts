/*
 * The small Markdown subset lab instructions are written in (packages/content labs): paragraphs,
 * headings, bullet and numbered lists and fenced code blocks; inline `code`, **bold**, *emphasis*
 * and [links](https://...) are split by `splitInlines`. The web app renders the result as React
 * elements, so nothing in the text ever becomes markup.
 */

export type MdBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "list"; ordered: boolean; items: string[] }
  /** `lang` is the fence's info word ("sh", "python"), "" when none: shell code can be run in the terminal. */
  | { kind: "code"; code: string; lang: string };

/** Fence languages whose code is typed at the terminal's prompt. */
export const shellLanguages: ReadonlySet<string> = new Set(["sh", "bash", "shell", "console"]);

export function parseLabMarkdown(source: string): MdBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: MdBlock[] = [];
  let i = 0;
  const bullet = /^\s*[-*+]\s+(.*)$/;
  const numbered = /^\s*\d+[.)]\s+(.*)$/;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const fence = /^\s*(```|~~~)\s*([\w+-]*)/.exec(line);
    if (fence) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? "").trimStart().startsWith(fence[1] ?? "```")) code.push(lines[i++] ?? "");
      i += 1;
      blocks.push({ kind: "code", code: code.join("\n"), lang: (fence[2] ?? "").toLowerCase() });
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", text: heading[1] ?? "" });
      i += 1;
      continue;
    }
    const listMatch = bullet.exec(line) ?? numbered.exec(line);
    if (listMatch) {
      const ordered = !bullet.test(line);
      const pattern = ordered ? numbered : bullet;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? "";
        const item = pattern.exec(current);
        if (item) items.push(item[1] ?? "");
        // An indented line continues the item before it.
        else if (/^\s{2,}\S/.test(current) && items.length > 0) items[items.length - 1] += ` ${current.trim()}`;
        else break;
        i += 1;
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const current = lines[i] ?? "";
      if (current.trim() === "" || /^\s*(```|~~~)/.test(current) || /^#{1,6}\s/.test(current) || bullet.test(current) || numbered.test(current))
        break;
      paragraph.push(current.trim());
      i += 1;
    }
    blocks.push({ kind: "paragraph", text: paragraph.join(" ") });
  }
  return blocks;
}

export type MdInline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong"; text: string }
  | { kind: "em"; text: string }
  | { kind: "link"; text: string; href: string };

const inlinePattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|(?<!\w)_[^_\s][^_]*_(?!\w))|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;

export function splitInlines(text: string): MdInline[] {
  const parts: MdInline[] = [];
  let last = 0;
  for (const match of text.matchAll(inlinePattern)) {
    const [token] = match;
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    if (match[1]) parts.push({ kind: "code", text: token.slice(1, -1) });
    else if (match[2]) parts.push({ kind: "strong", text: token.slice(2, -2) });
    else if (match[3]) parts.push({ kind: "em", text: token.slice(1, -1) });
    else parts.push({ kind: "link", text: match[4] ?? "", href: match[5] ?? "" });
    last = match.index + token.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
