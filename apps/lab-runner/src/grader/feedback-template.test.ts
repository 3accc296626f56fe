import { describe, expect, it } from "vitest";
import { summariseError } from "./check-failure";
import { applyFeedbackTemplate } from "./feedback-template";

describe("applyFeedbackTemplate", () => {
  const check = { kind: "kafka-topic", topic: "t", feedback: { fail: "{detail} Try --partitions 3 ({description})." } } as const;

  it("wraps the finding in the lab's wording for a failure", () => {
    expect(applyFeedbackTemplate(check, false, "Topic t has 1 partition.", "Kafka topic t exists")).toBe(
      "Topic t has 1 partition. Try --partitions 3 (Kafka topic t exists).",
    );
  });

  it("uses the finding alone without a template", () => {
    expect(applyFeedbackTemplate(check, true, "Topic t exists.", "d")).toBe("Topic t exists.");
  });
});

describe("summariseError", () => {
  it("keeps the first line and never a stack frame", () => {
    const error = new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9\n    at Socket.<anonymous> (node_modules/kafkajs/x.js:1:1)");
    expect(summariseError(error)).toBe("Connection error: connect ECONNREFUSED 127.0.0.1:9");
    expect(summariseError("x".repeat(500))).toHaveLength(200);
  });
});
