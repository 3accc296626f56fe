import { cardPayments, type CardPaymentsDataset, type SeededTopic } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { paymentFeed } from "./payment-feed";

const dataset: CardPaymentsDataset = { kind: "card-payments", file: "data/payments.csv", cards: 5, days: 7, payments: 200 };
const seeded: SeededTopic = {
  topic: "payments",
  partitions: 2,
  sensor: "card-9417",
  messages: 24,
  record: "card-payment",
  continuesDataset: { overlap: 10 },
};

describe("paymentFeed", () => {
  const feed = paymentFeed(seeded, dataset, "alice");
  const master = cardPayments(dataset, "alice");

  it("still holds the dataset's last payments before the cut-off, exactly as the master dataset has them", () => {
    expect(feed.overlap).toEqual(master.slice(-10));
    expect(feed.overlap.every((p) => p.timestamp < "2016-05-08 00:00:00")).toBe(true);
  });

  it("goes on after the cut-off with payments of every card and of a new one, in time order", () => {
    expect(feed.after).toHaveLength(24);
    const timestamps = feed.after.map((p) => p.timestamp);
    expect(timestamps[0]?.startsWith("2016-05-08 00:")).toBe(true);
    expect([...timestamps].sort()).toEqual(timestamps);
    expect(new Set(feed.after.map((p) => p.card))).toEqual(new Set([...master.map((p) => p.card), "card-9417"]));
    expect(feed.after.every((p) => p.cents >= 100 && p.cents <= 25_000)).toBe(true);
    expect(new Set([...master, ...feed.after].map((p) => p.id)).size).toBe(200 + 24);
  });

  it("publishes overlap then the rest as JSON keyed by card, each card always on the same partition", () => {
    expect(feed.messages).toHaveLength(34);
    expect(JSON.parse(feed.messages[0]?.value ?? "")).toEqual({
      card: master[190]?.card,
      id: master[190]?.id,
      timestamp: master[190]?.timestamp,
      amount: (master[190]?.cents ?? 0) / 100,
    });
    const partitionOf = new Map<string, number>();
    for (const message of feed.messages) {
      expect(message.key).toBe(JSON.parse(message.value).card);
      expect(partitionOf.get(message.key) ?? message.partition).toBe(message.partition);
      partitionOf.set(message.key, message.partition);
    }
    expect(new Set(partitionOf.values())).toEqual(new Set([0, 1]));
  });

  it("is the same for the same seed and another for another learner", () => {
    expect(paymentFeed(seeded, dataset, "alice")).toEqual(feed);
    const bob = new Set(paymentFeed(seeded, dataset, "bob").after.map((p) => `${p.timestamp}|${p.cents}`));
    expect(feed.after.filter((p) => bob.has(`${p.timestamp}|${p.cents}`)).length).toBeLessThan(3);
  });
});
