import type { SeededTopic } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { seededRecordMessages } from "../seeded-records";
import { evaluateDelivered, type DeliveredItem } from "./delivered-records";

const positions: SeededTopic = { topic: "fleet-positions", partitions: 2, sensor: "truck-7", messages: 40, record: "gps-position", duplicates: 6 };
const misfires: SeededTopic = { topic: "engine-misfires", partitions: 2, sensor: "engine-3", messages: 12, record: "engine-misfire", poison: 1 };
const payments: SeededTopic = {
  topic: "card-transactions",
  partitions: 2,
  sensor: "card-4921",
  messages: 16,
  record: "card-payment",
  abortedTransactions: 1,
};

const lines = (texts: readonly string[]): DeliveredItem[] => texts.map((text, i) => ({ text, where: `line ${i + 1}` }));
const originalsOf = (topic: SeededTopic, seed = "s1") => seededRecordMessages(topic, seed).filter((m) => !m.role);

describe("seededRecordMessages", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(seededRecordMessages(positions, "s1")).toEqual(seededRecordMessages(positions, "s1"));
    expect(seededRecordMessages(positions, "s2")[0]?.value).not.toBe(seededRecordMessages(positions, "s1")[0]?.value);
  });

  it("adds redelivered copies on the partition of their original, after it", () => {
    const messages = seededRecordMessages(positions, "s1");
    const copies = messages.filter((m) => m.role === "duplicate");
    expect(copies).toHaveLength(6);
    expect(messages.filter((m) => !m.role)).toHaveLength(40);
    for (const copy of copies) {
      const original = messages.findIndex((m) => !m.role && m.value === copy.value);
      expect(messages[original]?.partition).toBe(copy.partition);
      expect(messages.indexOf(copy)).toBeGreaterThan(original);
    }
  });

  it("tears a poison record that is no JSON, with misfires after it on its partition", () => {
    const messages = seededRecordMessages(misfires, "s1");
    const poison = messages.filter((m) => m.role === "poison");
    expect(poison).toHaveLength(1);
    expect(() => JSON.parse(poison[0]?.value ?? "")).toThrow();
    const after = messages.slice(messages.indexOf(poison[0] as (typeof messages)[number]) + 1).filter((m) => m.partition === poison[0]?.partition);
    expect(after.length).toBeGreaterThan(0);
  });

  it("puts an aborted transaction of two payments between committed ones", () => {
    const messages = seededRecordMessages(payments, "s1");
    const aborted = messages.filter((m) => m.role === "aborted");
    expect(aborted).toHaveLength(2);
    expect(new Set(aborted.map((m) => m.transaction))).toEqual(new Set([1]));
    expect(aborted.every((m) => m.abortTransaction)).toBe(true);
    expect(messages.filter((m) => !m.role).every((m) => m.transaction === 0 || m.transaction === 2)).toBe(true);
  });
});

describe("evaluateDelivered", () => {
  const judge = (topic: SeededTopic, items: DeliveredItem[], medium: "file" | "topic" = "file", requireTransactions = false) =>
    evaluateDelivered({
      what: medium === "file" ? "out.jsonl" : "topic ledger",
      medium,
      seeded: topic,
      messages: seededRecordMessages(topic, "s1"),
      items,
      requireTransactions,
    });

  it("passes a store with every position once, in any field order", () => {
    const texts = originalsOf(positions).map((m) => {
      const { vehicle, timestamp, lat, lon } = JSON.parse(m.value) as Record<string, unknown>;
      return JSON.stringify({ lon, lat, timestamp, vehicle });
    });
    const verdict = judge(positions, lines(texts));
    expect(verdict.passed).toBe(true);
    expect(verdict.detail).toContain("6 redelivered copies stored once");
  });

  it("names the redelivered copies an append-everything consumer stores", () => {
    const texts = seededRecordMessages(positions, "s1")
      .filter((m) => m.role !== "poison")
      .map((m) => m.value);
    const verdict = judge(positions, lines(texts));
    expect(verdict).toMatchObject({ passed: false, finding: "duplicates" });
    expect(verdict.detail).toContain("6 records are in out.jsonl more than once");
    expect(verdict.detail).toContain("The topic itself holds these records twice");
  });

  it("refuses a position with other coordinates", () => {
    const [first, ...rest] = originalsOf(positions);
    const wrong = { ...(JSON.parse(first?.value ?? "{}") as Record<string, unknown>), lat: 1 };
    const verdict = judge(positions, lines([JSON.stringify(wrong), ...rest.map((m) => m.value)]));
    expect(verdict).toMatchObject({ passed: false, finding: "wrong-values" });
  });

  it("says nothing was read from an empty store", () => {
    expect(judge(positions, lines([]))).toMatchObject({ passed: false, finding: "none-delivered" });
  });

  it("passes misfires without the poison record, each once", () => {
    expect(judge(misfires, lines(originalsOf(misfires).map((m) => m.value))).passed).toBe(true);
  });

  it("blames the poison record when a commit-after-processing consumer is stuck on it", () => {
    const messages = seededRecordMessages(misfires, "s1");
    const poison = messages.find((m) => m.role === "poison");
    const stuckAfter = messages.slice(messages.indexOf(poison as (typeof messages)[number]) + 1).filter((m) => m.partition === poison?.partition);
    const processed = messages.filter((m) => !m.role && !stuckAfter.includes(m));
    const verdict = judge(misfires, lines(processed.map((m) => m.value)));
    expect(verdict).toMatchObject({ passed: false, finding: "missing" });
    expect(verdict.detail).toContain("None of the records after the poison record on partition 0");
  });

  it("blames commits after processing for misfires processed twice", () => {
    const texts = originalsOf(misfires).map((m) => m.value);
    const verdict = judge(misfires, lines([...texts.slice(0, 3), ...texts]));
    expect(verdict).toMatchObject({ passed: false, finding: "duplicates" });
    expect(verdict.detail).toContain("They were processed again after a restart");
  });

  it("refuses a stored poison record", () => {
    const poison = seededRecordMessages(misfires, "s1").find((m) => m.role === "poison")?.value ?? "";
    const verdict = judge(misfires, lines([...originalsOf(misfires).map((m) => m.value), poison]));
    expect(verdict).toMatchObject({ passed: false, finding: "poison-processed" });
  });

  it("passes a ledger of the committed payments written in transactions", () => {
    const items = originalsOf(payments).map((m, i) => ({ text: m.value, where: `partition 0, offset ${i}`, inTransaction: true }));
    expect(judge(payments, items, "topic", true)).toMatchObject({ passed: true });
  });

  it("says aborted payments leaked into a ledger copied with read_uncommitted", () => {
    const items = seededRecordMessages(payments, "s1").map((m, i) => ({ text: m.value, where: `partition 0, offset ${i}`, inTransaction: false }));
    const verdict = judge(payments, items, "topic", true);
    expect(verdict).toMatchObject({ passed: false, finding: "aborted-leaked" });
    expect(verdict.detail).toContain("2 records of transactions that were aborted leaked into topic ledger");
    expect(verdict.detail).toContain("isolation.level=read_committed");
    expect(verdict.detail).toContain("were not written in a transaction");
  });

  it("refuses a ledger written by a plain producer", () => {
    const items = originalsOf(payments).map((m, i) => ({ text: m.value, where: `partition 1, offset ${i}`, inTransaction: false }));
    const verdict = judge(payments, items, "topic", true);
    expect(verdict).toMatchObject({ passed: false, finding: "not-transactional" });
  });

  it("accepts ledger entries that keep only id and amount", () => {
    const items = originalsOf(payments).map((m, i) => {
      const { id, amount } = JSON.parse(m.value) as Record<string, unknown>;
      return { text: JSON.stringify({ id, amount, booked: true }), where: `partition 0, offset ${i}`, inTransaction: true };
    });
    expect(judge(payments, items, "topic", true).passed).toBe(true);
  });
});
