import { describe, expect, it } from "vitest";
import { cardPayments, cardPaymentsCsv, cardPaymentsCutoff, totalsByCard } from "./card-payments";
import { findComputation } from "./computations";
import { generateDataset } from "./lab-dataset";

const spec = { cards: 6, days: 7, payments: 300 };

describe("cardPayments", () => {
  it("is deterministic per seed, and two learners get different payments", () => {
    expect(cardPayments(spec, "alice")).toEqual(cardPayments(spec, "alice"));
    const alice = new Set(cardPayments(spec, "alice").map((p) => `${p.card}|${p.cents}`));
    expect(cardPayments(spec, "bob").filter((p) => alice.has(`${p.card}|${p.cents}`)).length).toBeLessThan(5);
  });

  it("puts every payment before the cut-off, in time order, with unique ids, and every card pays", () => {
    const payments = cardPayments(spec, "order");
    expect(payments).toHaveLength(300);
    const timestamps = payments.map((p) => p.timestamp);
    expect(new Set(timestamps).size).toBe(300);
    expect([...timestamps].sort()).toEqual(timestamps);
    expect(timestamps[0]?.startsWith("2016-05-01 ")).toBe(true);
    expect(timestamps.every((t) => t < cardPaymentsCutoff(spec))).toBe(true);
    expect(cardPaymentsCutoff(spec)).toBe("2016-05-08 00:00:00");
    expect(new Set(payments.map((p) => p.id)).size).toBe(300);
    const cards = new Set(payments.map((p) => p.card));
    expect(cards.size).toBe(6);
    for (const card of cards) expect(card).toMatch(/^card-[1-8]\d{3}$/);
    expect(payments.every((p) => p.cents >= 100 && p.cents <= 25_000)).toBe(true);
  });

  it("writes timestamp,id,card,amount with two decimals, and generateDataset carries the payments", () => {
    const dataset = generateDataset({ kind: "card-payments", file: "data/payments.csv", ...spec }, "csv");
    const [header, first] = dataset.content.split("\n");
    expect(header).toBe("timestamp,id,card,amount");
    expect(first).toMatch(/^2016-05-01 \d\d:\d\d:\d\d,tx-[0-9a-f]{8},card-\d{4},\d+\.\d\d$/);
    expect(dataset.payments).toHaveLength(300);
    expect(dataset.readings).toEqual([]);
    expect(cardPaymentsCsv([{ timestamp: "2016-05-01 00:00:07", id: "tx-00000001", card: "card-1234", cents: 4217 }])).toBe(
      "timestamp,id,card,amount\n2016-05-01 00:00:07,tx-00000001,card-1234,42.17\n",
    );
  });
});

describe("card totals", () => {
  const payments = [
    { timestamp: "2016-05-01 00:00:01", id: "tx-1", card: "card-2000", cents: 1001 },
    { timestamp: "2016-05-01 00:00:02", id: "tx-2", card: "card-1000", cents: 250 },
    { timestamp: "2016-05-01 00:00:03", id: "tx-3", card: "card-2000", cents: 99 },
  ];

  it("sums each card's cents", () => {
    expect(totalsByCard(payments)).toEqual(
      new Map([
        ["card-2000", 1100],
        ["card-1000", 250],
      ]),
    );
  });

  it("is the batch view the grader expects, one row per card in card order", () => {
    const totals = findComputation("card-totals");
    expect(totals?.datasetKind).toBe("card-payments");
    expect(totals?.compute({ readings: [], sensors: [], payments })).toEqual([
      { key: "card-1000", value: 2.5 },
      { key: "card-2000", value: 11 },
    ]);
  });
});
