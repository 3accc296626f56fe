import { describe, expect, it, vi } from "vitest";
import { labsCompleteLesson, labsForLesson } from "./index";
import type { Lab } from "./lab-model";

// A catalog with two labs on one lesson, listed out of alphabetical order, and a lab between them
// on another lesson: what several labs per lesson look like before the shipped catalog has any.
vi.mock("./catalog", () => {
  const lab = (slug: string, lessonKey: string) => ({ slug, lessonKey }) as Lab;
  return {
    labs: [lab("streams-second", "20.1.2-example"), lab("elsewhere", "21.3-what-are-topics"), lab("streams-first", "20.1.2-example")],
  };
});

describe("labsForLesson", () => {
  it("lists every lab of the lesson in catalog order", () => {
    expect(labsForLesson("20.1.2-example").map((lab) => lab.slug)).toEqual(["streams-second", "streams-first"]);
    expect(labsForLesson("21.3-what-are-topics").map((lab) => lab.slug)).toEqual(["elsewhere"]);
  });

  it("is empty for a lesson without labs", () => {
    expect(labsForLesson("21.1-why-a-message-queue-tool")).toEqual([]);
  });
});

describe("labsCompleteLesson", () => {
  it("needs a full score in every lab of the lesson", () => {
    expect(labsCompleteLesson("20.1.2-example", new Set())).toBe(false);
    expect(labsCompleteLesson("20.1.2-example", new Set(["streams-first"]))).toBe(false);
    expect(labsCompleteLesson("20.1.2-example", new Set(["streams-second", "elsewhere"]))).toBe(false);
    expect(labsCompleteLesson("20.1.2-example", new Set(["streams-first", "streams-second"]))).toBe(true);
  });

  it("completes a one-lab lesson with that lab's full score", () => {
    expect(labsCompleteLesson("21.3-what-are-topics", new Set(["elsewhere"]))).toBe(true);
    expect(labsCompleteLesson("21.3-what-are-topics", new Set(["streams-first"]))).toBe(false);
  });

  it("never completes a lesson without labs", () => {
    expect(labsCompleteLesson("21.1-why-a-message-queue-tool", new Set(["streams-first", "streams-second", "elsewhere"]))).toBe(false);
  });
});
