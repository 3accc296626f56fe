import type { KafkaMessagesCheck, SensorReading } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import type { TopicMessage } from "../kafka-connection";
import { evaluateMessages } from "./kafka-messages-check";

const dataset: SensorReading[] = [
  { timestamp: "2016-05-01 00:00:04", centi: 2137 },
  { timestamp: "2016-05-01 00:15:02", centi: 2101 },
  { timestamp: "2016-05-01 00:30:09", centi: 1999 },
];
const check: KafkaMessagesCheck = {
  kind: "kafka-messages",
  topic: "sensor-readings",
  minCount: 3,
  shape: { timestamp: "string", value: "number" },
  matchesDataset: true,
};

let offset = 0;
const message = (text: string, partition = 0): TopicMessage => ({ partition, offset: String(offset++), value: Buffer.from(text) });
const json = (r: SensorReading) => message(JSON.stringify({ timestamp: r.timestamp, value: r.centi / 100 }));

describe("evaluateMessages", () => {
  it("passes when every reading of the dataset is there, and mentions stray messages", () => {
    const verdict = evaluateMessages(check, [message("hello"), ...dataset.map(json)], dataset);
    expect(verdict).toMatchObject({ passed: true, finding: "passed" });
    expect(verdict.detail).toMatch(
      /^Topic sensor-readings holds all 3 readings of your dataset\. 1 message in the topic does not count\. The message at partition 0, offset \d+ is not JSON: "hello"\.$/,
    );
  });

  it("counts a reading produced twice once", () => {
    const first = dataset[0] as SensorReading;
    const verdict = evaluateMessages(check, [json(first), json(first), json(first)], dataset);
    expect(verdict).toMatchObject({ passed: false, finding: "too-few-messages" });
    expect(verdict.detail).toContain("holds 1 of the 3 readings of your dataset (3 messages in all); this step asks for at least 3.");
    expect(verdict.detail).toContain("Missing, for example: 2016-05-01 00:15:02 (21.01).");
  });

  it("says which field has the wrong type", () => {
    const verdict = evaluateMessages(check, [message('{"timestamp":"2016-05-01 00:00:04","value":"21.37"}', 2)], dataset);
    // When no message counts, why the first one does not is the finding.
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-field-type" });
    expect(verdict.detail).toContain(': field "value" is a string ("21.37"); this step asks for a number.');
    expect(evaluateMessages(check, [message('{"timestamp":"x"}')], dataset)).toMatchObject({
      finding: "missing-field",
      detail: expect.stringContaining('field "value" is missing'),
    });
    expect(evaluateMessages(check, [message("[1,2]")], dataset)).toMatchObject({
      finding: "not-json-object",
      detail: expect.stringContaining("is not a JSON object"),
    });
    expect(evaluateMessages(check, [message("hello")], dataset).finding).toBe("not-json");
  });

  it("rejects readings that are not this learner's", () => {
    const someoneElses = message(JSON.stringify({ timestamp: "2016-06-02 00:00:04", value: 21.37 }));
    const verdict = evaluateMessages(check, [someoneElses], dataset);
    expect(verdict).toMatchObject({ passed: false, finding: "not-in-dataset" });
    expect(verdict.detail).toContain("is not a reading of your dataset");
  });

  it("counts only readings that name the learner's sensor when the lab names it", () => {
    const named = (r: SensorReading, sensor: string) => message(JSON.stringify({ sensor, timestamp: r.timestamp, value: r.centi / 100 }));
    expect(
      evaluateMessages(
        check,
        dataset.map((r) => named(r, "hall-a")),
        dataset,
        "hall-a",
      ),
    ).toMatchObject({ passed: true });
    const mislabelled = evaluateMessages(
      check,
      dataset.map((r) => named(r, "hall-b")),
      dataset,
      "hall-a",
    );
    expect(mislabelled).toMatchObject({ passed: false, finding: "wrong-sensor" });
    expect(mislabelled.detail).toContain('is one of your readings, but its "sensor" is not "hall-a", your sensor\'s name');
    expect(evaluateMessages(check, dataset.map(json), dataset, "hall-a").finding).toBe("wrong-sensor");
  });

  it("counts well-shaped messages when the dataset does not matter", () => {
    const loose = { ...check, matchesDataset: false, minCount: 2 };
    const verdict = evaluateMessages(loose, [message('{"timestamp":"a","value":1}'), message('{"timestamp":"b","value":2}')], undefined);
    expect(verdict).toEqual({ passed: true, finding: "passed", detail: "Topic sensor-readings holds 2 messages of the right shape." });
  });

  it("cuts long messages short in feedback", () => {
    const verdict = evaluateMessages(check, [message("x".repeat(5000))], dataset);
    expect(verdict.detail.length).toBeLessThan(300);
  });
});
