import { cleanTitle } from "./clean-text";
import { EditionFormatError } from "./edition-format-error";
import { fromRoman } from "./roman";
import { comparePaths, formatPath, type SectionPath } from "./section-numbers";
import type { TocEntry } from "./toc";

/** A body line, or a heading inside a section that is not a section of its own. */
export type BodyItem = { kind: "line"; text: string } | { kind: "heading"; text: string };

export interface BodySection {
  path: SectionPath;
  title: string;
  items: BodyItem[];
}

export interface BodyChapter {
  number: number;
  title: string;
  intro: BodyItem[];
  sections: BodySection[];
}

export interface BodyPart {
  number: number;
  title: string;
  chapters: BodyChapter[];
}

type Heading = Exclude<TocEntry, { kind: "unnumbered" }>;

const MAX_HEADING_LENGTH = 120;

/**
 * Splits the body at the headings the table of contents announces, in its order, and
 * takes each title from the body heading, which the extraction left clean.
 */
export function parseBody(lines: readonly string[], toc: readonly TocEntry[]): BodyPart[] {
  const headings = toc.filter((e): e is Heading => e.kind !== "unnumbered");
  const unnumbered = unnumberedTitlesBySection(toc);
  const parts: BodyPart[] = [];
  let next = 0;
  for (const raw of lines) {
    const line = raw.trim();
    const expected = headings[next];
    const title = expected && headingTitle(line, expected);
    if (expected && title) {
      open(parts, expected, title);
      next++;
      continue;
    }
    const chapter = parts.at(-1)?.chapters.at(-1);
    if (!chapter) {
      if (line) throw new EditionFormatError(`text outside any chapter: "${line}"`);
      continue;
    }
    const section = chapter.sections.at(-1);
    const items = section ? section.items : chapter.intro;
    const within = section ? section.path : [chapter.number];
    const nextPath = expected?.kind === "numbered" ? expected.path : undefined;
    const heading = innerHeading(line, within, nextPath, unnumbered.get(formatPath(within)));
    items.push(heading ? { kind: "heading", text: heading } : { kind: "line", text: raw });
  }
  const missing = headings[next];
  if (missing) throw new EditionFormatError(`${describe(missing)} from the contents is missing in the body (or out of order)`);
  return parts;
}

function headingTitle(line: string, expected: Heading): string | undefined {
  if (line.length > MAX_HEADING_LENGTH) return undefined;
  if (expected.kind === "part") {
    const match = /^Part\s+([IVX]+)\s+(.+)$/.exec(line);
    return match?.[1] && match[2] && fromRoman(match[1]) === expected.number ? cleanTitle(match[2]) : undefined;
  }
  // Runs of empty sections were extracted as a bullet list ("- 7.1 ISO/OSI Model").
  const match = /^(?:-\s*)?(\d+(?:\.\d+)*)\s+(\S.*)$/.exec(line);
  return match?.[1] === formatPath(expected.path) && match[2] ? cleanTitle(match[2]) : undefined;
}

function open(parts: BodyPart[], heading: Heading, title: string): void {
  if (heading.kind === "part") {
    parts.push({ number: heading.number, title, chapters: [] });
    return;
  }
  const part = parts.at(-1);
  if (!part) throw new EditionFormatError(`${describe(heading)} comes before any part`);
  const [chapterNumber] = heading.path;
  if (heading.path.length === 1 && chapterNumber !== undefined) {
    part.chapters.push({ number: chapterNumber, title, intro: [], sections: [] });
    return;
  }
  const chapter = part.chapters.at(-1);
  if (!chapter || chapter.number !== chapterNumber) throw new EditionFormatError(`${describe(heading)} is outside its chapter`);
  chapter.sections.push({ path: heading.path, title, items: [] });
}

/**
 * A heading that belongs inside the current section: an entry the contents list without
 * a number, or a numbered body heading the contents do not list (the extraction numbered
 * "Kerberos Tickets" 11.3; the 2019-05-21 body adds 28.1.1 and 28.12.1). Keeping them as
 * headings inside the section keeps their text without inventing lessons.
 */
function innerHeading(
  line: string,
  within: SectionPath,
  nextPath: SectionPath | undefined,
  unnumbered: ReadonlySet<string> | undefined,
): string | undefined {
  if (line.length > MAX_HEADING_LENGTH) return undefined;
  const numbered = /^(?:-\s*)?(\d+(?:\.\d+)+)\s+(\S.*)$/.exec(line);
  if (numbered?.[1] && numbered[2]) {
    const path = numbered[1].split(".").map(Number);
    const inChapter = path[0] === within[0];
    const inGap = comparePaths(path, within) > 0 && (!nextPath || comparePaths(path, nextPath) < 0);
    if (inChapter && inGap) return cleanTitle(numbered[2]);
  }
  const text = cleanTitle(line.replace(/^-\s*/, ""));
  return unnumbered?.has(text.toLowerCase()) ? text : undefined;
}

function unnumberedTitlesBySection(toc: readonly TocEntry[]): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  let current = "";
  for (const entry of toc) {
    if (entry.kind === "numbered") current = formatPath(entry.path);
    if (entry.kind !== "unnumbered") continue;
    const titles = byPath.get(current) ?? new Set<string>();
    titles.add(entry.title.toLowerCase());
    byPath.set(current, titles);
  }
  return byPath;
}

function describe(heading: Heading): string {
  if (heading.kind === "part") return `part ${heading.number}`;
  return heading.path.length === 1 ? `chapter ${formatPath(heading.path)}` : `section ${formatPath(heading.path)}`;
}
