import { createHash } from "node:crypto";
import type { Block, Chapter, Course, Lesson, Part } from "./course-model";
import { toBlocks } from "./parse/blocks";
import { parseBody, type BodyChapter, type BodySection } from "./parse/body";
import { slugify } from "./parse/clean-text";
import { EditionFormatError } from "./parse/edition-format-error";
import { formatPath } from "./parse/section-numbers";
import { parseToc } from "./parse/toc";

/**
 * Imports one edition of the cookbook from its extracted text. The table of contents
 * decides which lessons exist; the body supplies their titles and text.
 * Throws EditionFormatError when the two do not line up.
 */
export function importEdition(text: string, edition: string): Course {
  const { title, contents, body } = splitBook(text.split(/\r?\n/));
  const parts = parseBody(body, parseToc(contents));
  return {
    edition,
    title,
    parts: parts.map((part): Part => ({ number: part.number, title: part.title, chapters: part.chapters.map(toChapter) })),
  };
}

/** Front matter up to "Contents", the contents up to the first part heading, then the body up to the back matter. */
function splitBook(lines: readonly string[]) {
  const title = lines.find((line) => line.trim())?.trim();
  const contentsStart = lines.findIndex((line) => line.trim() === "Contents");
  const bodyStart = lines.findIndex((line, i) => i > contentsStart && /^Part\s+I\s/.test(line.trim()));
  // The back matter (a template bibliography, lists of figures and tables) is no lesson text.
  const backMatter = lines.findIndex((line, i) => i > bodyStart && line.trim() === "Bibliography");
  if (!title || contentsStart < 0 || bodyStart < 0) {
    throw new EditionFormatError('expected a title, a "Contents" line and a "Part I" heading');
  }
  return {
    title,
    contents: lines.slice(contentsStart + 1, bodyStart),
    body: lines.slice(bodyStart, backMatter < 0 ? undefined : backMatter),
  };
}

function toChapter(chapter: BodyChapter): Chapter {
  return {
    number: chapter.number,
    title: chapter.title,
    slug: slugify(chapter.title),
    intro: toBlocks(chapter.intro),
    lessons: chapter.sections.map(toLesson),
  };
}

function toLesson(section: BodySection): Lesson {
  const number = formatPath(section.path);
  const slug = slugify(section.title);
  const blocks = toBlocks(section.items);
  return {
    key: `${number}-${slug}`,
    number,
    title: section.title,
    slug,
    depth: section.path.length - 1,
    outline: blocks.length === 0,
    blocks,
    contentHash: contentHash(section.title, blocks),
  };
}

function contentHash(title: string, blocks: readonly Block[]): string {
  return createHash("sha256").update(JSON.stringify({ title, blocks })).digest("hex");
}
