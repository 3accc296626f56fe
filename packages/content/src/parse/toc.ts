import { cleanTitle } from "./clean-text";
import { EditionFormatError } from "./edition-format-error";
import { fromRoman } from "./roman";
import { comparePaths, formatPath, impliedBy, readTocNumber, type SectionPath } from "./section-numbers";

/**
 * The table of contents as an ordered outline. Only its numbers are kept: the extraction
 * garbled the titles ("Hov\tv To Use"), and the body headings carry them cleanly.
 * Unnumbered entries keep their title so the body can find them.
 */
export type TocEntry = { kind: "part"; number: number } | { kind: "numbered"; path: SectionPath } | { kind: "unnumbered"; title: string };

export function parseToc(lines: readonly string[]): TocEntry[] {
  const entries: TocEntry[] = [];
  let previousPath: SectionPath = [];
  let previousPart = 0;
  for (const raw of lines) {
    const line = normaliseTocLine(raw);
    // Lines without letters are page numbers of entries whose text the extraction lost.
    if (!/[A-Za-z]/.test(line)) continue;
    const partNumber = fromRoman(line.split(/\s/)[0] ?? "");
    if (partNumber === previousPart + 1) {
      entries.push({ kind: "part", number: partNumber });
      previousPart = partNumber;
      continue;
    }
    // The number zone: digits, dots, blanks and single stray letters ("2\tn 10", "20 I").
    const zone = /^(?:[\d.\s]|[A-Za-z](?=[\s\d]))*/.exec(line)?.[0] ?? "";
    if (!/\d/.test(zone)) {
      entries.push({ kind: "unnumbered", title: cleanTitle(line) });
      continue;
    }
    const path = readTocNumber(zone, previousPath);
    if (!path) throw new EditionFormatError(`cannot read the section number of contents line "${raw.trim()}"`);
    entries.push({ kind: "numbered", path });
    previousPath = path;
  }
  return withImpliedSections(entries);
}

function normaliseTocLine(raw: string): string {
  return (
    raw
      .replace(/\\mathbf\{([^}]*)\}/g, "$1")
      // The extraction read part numeral I as a Greek capital iota.
      .replace(/Ι/g, "I")
      .replace(/^[\s:.,·•٠-]+/, "")
      // Dot leaders and their debris.
      .replace(/(?:\s+[.:·•٠-])+(?=\s|$)/g, "")
      // Trailing page number, sometimes split in two ("2 3", "4\t9").
      .replace(/\s+\d+(?:\s+\d)?\s*$/, "")
      .trim()
  );
}

/**
 * Adds the sections a listed number implies but the extraction dropped from the
 * contents (19.1.1 before 19.1.2; 20.1, 20.1.1 and 20.1.2 before 20.1.3).
 */
function withImpliedSections(entries: readonly TocEntry[]): TocEntry[] {
  const seen = new Set(entries.flatMap((e) => (e.kind === "numbered" ? [formatPath(e.path)] : [])));
  const result: TocEntry[] = [];
  for (const entry of entries) {
    if (entry.kind === "numbered") {
      for (const path of impliedBy(entry.path)) {
        if (seen.has(formatPath(path))) continue;
        seen.add(formatPath(path));
        result.push({ kind: "numbered", path });
      }
    }
    result.push(entry);
  }
  assertAscending(result);
  return result;
}

function assertAscending(entries: readonly TocEntry[]): void {
  const paths = entries.flatMap((e) => (e.kind === "numbered" ? [e.path] : []));
  paths.forEach((path, i) => {
    const before = paths[i - 1];
    if (before && comparePaths(before, path) >= 0) {
      throw new EditionFormatError(`contents list ${formatPath(path)} after ${formatPath(before)}`);
    }
  });
}
