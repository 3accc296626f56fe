/**
 * Removes the noise the PDF-to-text extraction left in running text and headings.
 */

/**
 * Cleans one extracted line: unwraps LaTeX math spans the extractor emitted around
 * some sentences and URLs, drops stray bullets, and collapses whitespace.
 */
export function cleanLine(raw: string): string {
  return raw
    .replace(/\$([^$]*)\$/g, (_span, inner: string) => unwrapMath(inner))
    .replace(/[•·]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function unwrapMath(inner: string): string {
  return (
    inner
      .replace(/\\verb\|([^|]*)\|/g, "$1")
      // An unterminated \verb holds a URL (no spaces) followed by words the OCR invented
      // to fill the clipped margin ("...-information and the control of the contr").
      .replace(/\\verb\|(\S*).*$/, "$1")
      .replace(/\\label\{[^}]*\}/g, "")
      .replace(/\\(?:mathrm|mathbf|text)\{([^}]*)\}/g, "$1")
      .replace(/\\ /g, " ")
  );
}

/** The "— available" marks the author put on headings of sections that have text. */
const AVAILABLE_MARKER = /\s*[–—-]\s*available\s*$/i;

/**
 * Author typos in headings that later editions fix only in part (2019-05-21 still has
 * "Sciecne" in 28.3-28.5). Correcting them keeps titles, and so lesson keys, stable
 * across editions; "@@" is corrected only so the title renders cleanly.
 */
const HEADING_TYPOS: ReadonlyArray<[RegExp, string]> = [
  [/\bSciecne\b/g, "Science"],
  [/@@/g, "@"],
];

export function cleanTitle(raw: string): string {
  let title = cleanLine(raw).replace(AVAILABLE_MARKER, "");
  for (const [typo, fix] of HEADING_TYPOS) title = title.replace(typo, fix);
  return title.trim();
}

/** Lowercase a-z0-9 words joined by hyphens; apostrophes vanish so "What's" gives "whats". */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Joins a line to the text it continues, undoing a hyphenated line break
 * ("distri-" + "buted") unless the hyphen ends a URL.
 */
export function joinWrapped(before: string, after: string): string {
  const lastToken = before.slice(before.lastIndexOf(" ") + 1);
  if (/[A-Za-z]-$/.test(before) && /^[a-z]/.test(after) && !/^https?:\/\//.test(lastToken)) {
    return before.slice(0, -1) + after;
  }
  return `${before} ${after}`;
}
