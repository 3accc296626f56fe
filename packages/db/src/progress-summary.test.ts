import { describe, expect, it } from "vitest";
import { summarizeProgress } from "./progress-summary";

const outline = [
  {
    number: 1,
    lessons: [
      { key: "1.1-a", contentHash: "h1" },
      { key: "1.2-b", contentHash: "h2" },
    ],
  },
  { number: 2, lessons: [{ key: "2.1-c", contentHash: "h3" }] },
];

describe("summarizeProgress", () => {
  it("counts completed lessons per chapter and overall", () => {
    const s = summarizeProgress(outline, [{ lessonKey: "1.1-a", contentHash: "h1" }]);
    expect(s.chapters.map((c) => [c.completed, c.total])).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(s).toMatchObject({ completed: 1, total: 3, percent: 33 });
    expect(s.chapters[0]?.lessons.map((l) => l.status)).toEqual(["completed", "not_started"]);
  });

  it("flags a completed lesson whose text changed as updated, still counted as done", () => {
    const s = summarizeProgress(outline, [{ lessonKey: "1.2-b", contentHash: "old" }]);
    expect(s.chapters[0]?.lessons[1]?.status).toBe("updated");
    expect(s.completed).toBe(1);
  });

  it("ignores completions of lessons that no longer exist", () => {
    const s = summarizeProgress(outline, [{ lessonKey: "9.9-gone", contentHash: "x" }]);
    expect(s).toMatchObject({ completed: 0, percent: 0 });
  });
});
