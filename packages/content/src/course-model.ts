/**
 * The course model an edition of the cookbook is imported into.
 * The db package persists it as a course version; the web app renders it.
 */

export type Inline = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "paragraph"; inlines: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "table"; header: string[]; rows: string[][] }
  | { kind: "figure"; label: string; caption: Inline[] }
  | { kind: "code"; language: string | null; code: string }
  | { kind: "heading"; text: string };

export interface Lesson {
  /** Stable across editions: `<number>-<slug>`, e.g. "12.2-at-least-once". */
  key: string;
  /** Section number as in the table of contents, e.g. "20.1.2". */
  number: string;
  title: string;
  slug: string;
  /** 1 for "12.2", 2 for "20.1.2". */
  depth: number;
  /** True when the book has no body text for the section: rendered as a short outline lesson. */
  outline: boolean;
  blocks: Block[];
  /** sha256 hex of the normalised title + blocks: a changed hash marks the lesson "updated". */
  contentHash: string;
}

export interface Chapter {
  number: number;
  title: string;
  slug: string;
  /** Text between the chapter heading and its first numbered section (may be empty). */
  intro: Block[];
  lessons: Lesson[];
}

export interface Part {
  /** 1..4, shown as roman numerals. */
  number: number;
  title: string;
  chapters: Chapter[];
}

export interface Course {
  /** e.g. "2019-05-18" */
  edition: string;
  title: string;
  parts: Part[];
}
