import { describe, expect, it } from "vitest";
import { labMarkLabel, labMarkText } from "./lab-mark";

describe("labMarkText", () => {
  it("marks a lesson's one lab, with the best score once checked", () => {
    expect(labMarkText([])).toBe("");
    expect(labMarkText([{ title: "Kafka", best: null }])).toBe("Lab");
    expect(labMarkText([{ title: "Kafka", best: { score: 6, maxScore: 8, done: false } }])).toBe("Lab 6/8");
    expect(labMarkText([{ title: "Kafka", best: { score: 8, maxScore: 8, done: true } }])).toBe("Lab ✓ 8/8");
  });

  it("counts several labs and lists the checked ones' best scores", () => {
    const two = [
      { title: "A", best: null },
      { title: "B", best: null },
    ];
    expect(labMarkText(two)).toBe("2 labs");
    expect(
      labMarkText([
        { title: "A", best: { score: 6, maxScore: 8, done: false } },
        { title: "B", best: { score: 4, maxScore: 4, done: true } },
      ]),
    ).toBe("2 labs · 6/8 · ✓ 4/4");
  });

  it("names each lab in the long form", () => {
    expect(
      labMarkLabel([
        { title: "A", best: { score: 8, maxScore: 8, done: true } },
        { title: "B", best: null },
      ]),
    ).toBe("Lab A: best 8/8, done; Lab B: not checked yet");
  });
});
