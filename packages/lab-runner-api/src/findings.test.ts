import { describe, expect, it } from "vitest";
import { checkResultSchema } from "./contract";
import { findingOf, normalizeFeedback, storedLabGradeSchema } from "./findings";

const check = { kind: "kafka-consumer-group", description: "d", passed: false, feedback: "f", timedOut: false };
const grade = (checks: unknown[]) => ({
  labSlug: "l",
  labVersion: 1,
  score: 0,
  maxScore: 1,
  steps: [{ stepId: "s", title: "S", passed: false, earned: 0, points: 1, checks, hints: [] }],
});

describe("normalizeFeedback", () => {
  it("groups feedback that differs only in the learner's numbers", () => {
    expect(normalizeFeedback("The group has committed 12 offsets")).toBe(normalizeFeedback("The group has committed 96 offsets"));
    expect(normalizeFeedback("The group has committed 12 offsets")).toBe("The group has committed {n} offsets");
    expect(normalizeFeedback("The group has committed 12 offsets")).not.toBe(normalizeFeedback("The group has not read the topic to the end"));
  });

  it("replaces quoted and backticked values and collapses white space", () => {
    expect(normalizeFeedback('Line 2 of part-0 is "2016-05-02,n/a":  expected\n`kafka-topics --list` to print 21.37 ')).toBe(
      "Line {n} of part-{n} is {value}: expected {value} to print {n}",
    );
  });
});

describe("findingOf", () => {
  it("is the finding code when the result has one", () => {
    expect(findingOf({ ...check, finding: "kafka-consumer-group.no-committed-offsets", feedback: "Group g committed 3" })).toBe(
      "kafka-consumer-group.no-committed-offsets",
    );
  });

  it("falls back to the normalised feedback for a result stored before codes", () => {
    expect(findingOf({ ...check, feedback: "The group has committed 12 offsets" })).toBe("The group has committed {n} offsets");
  });
});

describe("finding codes in the schemas", () => {
  it("the contract requires a code of the form kind.finding", () => {
    expect(checkResultSchema.safeParse({ ...check, finding: "kafka-consumer-group.lagging" }).success).toBe(true);
    expect(checkResultSchema.safeParse(check).success).toBe(false);
    expect(checkResultSchema.safeParse({ ...check, finding: "Consumer group g has not committed" }).success).toBe(false);
  });

  it("a stored result may lack the code, but not carry a malformed one", () => {
    expect(storedLabGradeSchema.safeParse(grade([check])).success).toBe(true);
    expect(storedLabGradeSchema.safeParse(grade([{ ...check, finding: "a.b" }])).success).toBe(true);
    expect(storedLabGradeSchema.safeParse(grade([{ ...check, finding: "A B" }])).success).toBe(false);
  });
});
