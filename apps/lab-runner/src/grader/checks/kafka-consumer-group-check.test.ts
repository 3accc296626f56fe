import type { KafkaConsumerGroupCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { evaluateCommittedOffsets } from "./kafka-consumer-group-check";

const check: KafkaConsumerGroupCheck = {
  kind: "kafka-consumer-group",
  group: "sensor-analytics",
  topic: "sensor-readings",
  requireAllPartitions: true,
};
const ranges = [
  { partition: 0, low: 0, high: 40 },
  { partition: 1, low: 0, high: 56 },
  { partition: 2, low: 0, high: 0 },
];

describe("evaluateCommittedOffsets", () => {
  it("passes when every partition with messages is read to the end (empty ones need no commit)", () => {
    const verdict = evaluateCommittedOffsets(
      check,
      ranges,
      new Map([
        [0, 40],
        [1, 56],
        [2, -1],
      ]),
      ["sensor-analytics"],
    );
    expect(verdict).toEqual({
      passed: true,
      finding: "passed",
      detail: "Consumer group sensor-analytics has committed offsets for all 96 messages in topic sensor-readings.",
    });
  });

  it("names the groups that do exist when this one committed nothing", () => {
    const verdict = evaluateCommittedOffsets(check, ranges, new Map(), ["console-consumer-1234"]);
    expect(verdict).toMatchObject({ passed: false, finding: "no-committed-offsets" });
    expect(verdict.detail).toBe(
      "Consumer group sensor-analytics has not committed any offset on topic sensor-readings. Groups that exist: console-consumer-1234.",
    );
  });

  it("reports the lag per partition that is behind", () => {
    const verdict = evaluateCommittedOffsets(
      check,
      ranges,
      new Map([
        [0, 40],
        [1, 10],
      ]),
      [],
    );
    expect(verdict).toMatchObject({ passed: false, finding: "lagging" });
    expect(verdict.detail).toBe(
      "Consumer group sensor-analytics has not read topic sensor-readings to the end: partition 1: committed 10, end 56 (lag 46).",
    );
  });

  it("checks a minimum of committed messages", () => {
    const atLeast = { ...check, requireAllPartitions: false, minCommittedTotal: 60 };
    const tooFew = evaluateCommittedOffsets(
      atLeast,
      ranges,
      new Map([
        [0, 40],
        [1, 10],
      ]),
      [],
    );
    expect(tooFew.finding).toBe("too-few-committed");
    expect(tooFew.detail).toContain("has committed 50 messages of topic sensor-readings; this step asks for at least 60.");
    expect(
      evaluateCommittedOffsets(
        atLeast,
        ranges,
        new Map([
          [0, 40],
          [1, 20],
        ]),
        [],
      ).passed,
    ).toBe(true);
  });

  it("names the verdict after the first finding when several apply, and words them all", () => {
    const both = { ...check, minCommittedTotal: 60 };
    const verdict = evaluateCommittedOffsets(both, ranges, new Map([[0, 40]]), []);
    expect(verdict.finding).toBe("lagging");
    expect(verdict.detail).toContain("partition 1: nothing committed, end 56");
    expect(verdict.detail).toContain("this step asks for at least 60");
  });
});
