import type { Inline } from "../course-model";

/**
 * A URL the page margin broke at "_", "/" or "-" continues in the next token when that
 * token is a bare path fragment ("...Madrid_ Big_Data.pdf", ".../Platform/ 5786421").
 */
const BROKEN_URL = /(https?:\/\/\S*[_/-]) ([\w.%-]*[._\d][\w.%-]*)(?=\s|$)/g;

/** A URL ends at whitespace or where the extraction glued the next URL straight on. */
const URL = /https?:\/\/(?:(?!https?:\/\/)\S)+/g;

const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/** Splits running text into text and link inlines. */
export function toInlines(text: string): Inline[] {
  const repaired = text.replace(BROKEN_URL, "$1$2");
  const inlines: Inline[] = [];
  let cursor = 0;
  for (const match of repaired.matchAll(URL)) {
    const href = match[0].replace(TRAILING_PUNCTUATION, "");
    const before = repaired.slice(cursor, match.index);
    // Glued URLs lost the line break between them: a space keeps the links apart.
    if (before || inlines.at(-1)?.kind === "link") inlines.push({ kind: "text", text: before || " " });
    inlines.push({ kind: "link", text: href, href });
    cursor = match.index + href.length;
  }
  const rest = repaired.slice(cursor);
  if (rest) inlines.push({ kind: "text", text: rest });
  return inlines;
}
