import { describe, expect, it } from "vitest";
import type { Course } from "./course-model";
import { loadEdition } from "./editions";
import { lessonsOf } from "./lessons";

const older = loadEdition("2019-05-18");
const newer = loadEdition("2019-05-21");
const hashes = (course: Course) => new Map(lessonsOf(course).map((l) => [l.key, l.contentHash]));

/**
 * Lessons whose text 2019-05-21 changed, read off a diff of the two extracted texts:
 * typo fixes (2.3 "Thats", 12.3 "happend", 13.3 "successfull", 13.3.5 "daat",
 * 17.1.2 "serach"/"Runing", 17.2 "Kubernets", 22.10 "airplaine", 28.19 "ty series"),
 * new case-study links (28.1 Amazon, 28.12 Google, 28.29) and re-extracted link lists.
 */
const CHANGED = [
  "2.3",
  "12.3",
  "13.3",
  "13.3.5",
  "17.1.2",
  "17.2",
  "22.10",
  "28.1",
  "28.5",
  "28.6",
  "28.9",
  "28.12",
  "28.15",
  "28.18",
  "28.19",
  "28.20",
  "28.22",
  "28.25",
  "28.26",
  "28.29",
];

describe("the 2019-05-18 and 2019-05-21 editions", () => {
  it("have the same lesson keys", () => {
    expect(lessonsOf(newer).map((l) => l.key)).toEqual(lessonsOf(older).map((l) => l.key));
  });

  it("differ in contentHash exactly for the lessons whose text changed", () => {
    const before = hashes(older);
    const changed = lessonsOf(newer).filter((l) => before.get(l.key) !== l.contentHash);
    expect(changed.map((l) => l.number)).toEqual(CHANGED);
  });

  it("carry the corrections in the changed lessons", () => {
    const text = (course: Course, number: string) => JSON.stringify(lessonsOf(course).find((l) => l.number === number)?.blocks);
    expect(text(older, "2.3")).toContain("Thats why companies");
    expect(text(newer, "2.3")).toContain("That's why companies");
    expect(text(older, "22.10")).toContain("airplaine");
    expect(text(newer, "22.10")).toContain("airplane");
  });

  it("keep unchanged lessons' hashes equal", () => {
    const after = hashes(newer);
    for (const lesson of lessonsOf(older).filter((l) => ["12.2", "20.1.2", "20.2.2", "28.2"].includes(l.number))) {
      expect(after.get(lesson.key)).toBe(lesson.contentHash);
    }
  });

  // Chapter 4 has no numbered sections, so its "colleges" -> "colleagues" fix changes the
  // chapter intro, which carries no hash of its own.
  it("carry the colleagues fix in chapter 4's intro", () => {
    const intro = (course: Course) => JSON.stringify(course.parts[1]?.chapters.find((c) => c.number === 4)?.intro);
    expect(intro(older)).toContain("your colleges need");
    expect(intro(newer)).toContain("your colleagues need");
  });

  // The 2019-05-21 body adds 28.1.1 and 28.12.1, which its contents do not list: they stay
  // headings inside 28.1 and 28.12 rather than becoming lessons.
  it("keep case studies the newer contents do not list as headings", () => {
    const headings = (number: string) =>
      lessonsOf(newer)
        .find((l) => l.number === number)
        ?.blocks.filter((b) => b.kind === "heading");
    expect(headings("28.1")).toEqual([{ kind: "heading", text: "Data Science @Amazon" }]);
    expect(headings("28.12")).toEqual([{ kind: "heading", text: "Data Science @Google" }]);
  });
});
