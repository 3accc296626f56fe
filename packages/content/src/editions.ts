import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Course } from "./course-model";
import { importEdition } from "./import-edition";

const cookbookFile = (name: string) => fileURLToPath(new URL(`../cookbook/${name}`, import.meta.url));

/** The vendored editions, oldest first. */
export const editions = [
  { id: "2019-05-18", file: cookbookFile("data-engineering-cookbook-v1.1-2019-05-18.txt") },
  { id: "2019-05-21", file: cookbookFile("data-engineering-cookbook-v1.1-2019-05-21.txt") },
] as const;

export type EditionId = (typeof editions)[number]["id"];

export function loadEdition(id: EditionId): Course {
  const edition = editions.find((e) => e.id === id);
  if (!edition) throw new Error(`unknown edition ${id}`);
  return importEdition(readFileSync(edition.file, "utf8"), edition.id);
}
