import { describe, expect, it } from "vitest";
import { hintUsage, hintUsageText } from "./hint-usage";

describe("hintUsage", () => {
  const hints = new Map([
    ["create-topic", ["a", "b", "the answer"]],
    ["produce", ["only one"]],
  ]);

  it("counts the reveals and those that gave the answer away (the last of several hints)", () => {
    expect(hintUsage([], hints)).toEqual({ used: 0, answers: 0 });
    expect(
      hintUsage(
        [
          { stepId: "create-topic", hintIndex: 0 },
          { stepId: "create-topic", hintIndex: 2 },
        ],
        hints,
      ),
    ).toEqual({ used: 2, answers: 1 });
    // A step's only hint is not flagged as the answer, as the lab panel does not flag it.
    expect(hintUsage([{ stepId: "produce", hintIndex: 0 }], hints)).toEqual({ used: 1, answers: 0 });
    // A reveal of a step the attempt no longer describes still counts as used.
    expect(hintUsage([{ stepId: "gone", hintIndex: 1 }], hints)).toEqual({ used: 1, answers: 0 });
  });

  it("says it in words", () => {
    expect(hintUsageText({ used: 0, answers: 0 })).toBe("no hints used");
    expect(hintUsageText({ used: 1, answers: 0 })).toBe("hints used: 1");
    expect(hintUsageText({ used: 2, answers: 1 })).toBe("hints used: 2 (1 showed the answer)");
  });
});
