import { describe, expect, it } from "vitest";
import {
  judgeServingAnswer,
  judgeSpeedView,
  maxTotalsBytes,
  parseCardTotals,
  probePayments,
  type FeedTotals,
  type ServingExpectation,
} from "./lambda-views";

const cents = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** Two cards of the master dataset and one first used after the cut-off; card-1000 paid 5.00 just before it, still in the topic. */
const feed: FeedTotals = {
  topic: "payments",
  cutoff: "2016-05-08 00:00:00",
  after: cents({ "card-1000": 1250, "card-2000": 300, "card-9417": 999 }),
  overlap: cents({ "card-1000": 500 }),
  afterCount: 4,
  overlapCount: 1,
  newCards: ["card-9417"],
};
const probe = probePayments("1a2b3c4d", Date.parse("2016-05-08T02:00:00Z"));
const serving: ServingExpectation = {
  ...feed,
  command: "`python3 serve.py`",
  batch: cents({ "card-1000": 10_000, "card-2000": 20_000 }),
  probe,
  withinSeconds: 45,
};
const answer = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([card, euros]) => [card, Math.round(euros * 100)]));
const merged = { "card-1000": 112.5, "card-2000": 203, "card-9417": 9.99 };

describe("parseCardTotals", () => {
  it("reads one JSON object of totals as cents per card", () => {
    expect(parseCardTotals(' {"card-1000": 112.50000000001, "card-2000": 203}\n', "x")).toEqual({
      ok: true,
      totals: cents({ "card-1000": 11_250, "card-2000": 20_300 }),
    });
    expect(parseCardTotals("{}", "x")).toEqual({ ok: true, totals: new Map() });
  });

  it("refuses anything else, saying what it found", () => {
    const problem = (text: string) => {
      const parsed = parseCardTotals(text, "What `python3 serve.py` printed");
      return parsed.ok ? "parsed" : `${parsed.finding}: ${parsed.problem}`;
    };
    expect(problem("")).toMatch(/^empty: What `python3 serve.py` printed is empty/);
    expect(problem('loading batch view\n{"card-1000": 1}')).toMatch(/^not-json: .* it begins "loading batch view \{"card-1000": 1\}"/);
    expect(problem("[1, 2]")).toMatch(/^not-an-object:/);
    expect(problem('{"card-1000": "112.50"}')).toMatch(/^not-a-number: .*the total of "card-1000" is ""112.50""/);
    expect(problem('{"card-1000": null}')).toMatch(/^not-a-number:/);
    expect(problem(`{"a": "${"x".repeat(maxTotalsBytes)}"}`)).toMatch(/^too-large:/);
    expect(problem(JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`card-${i}`, 1]))))).toMatch(/^too-large: .* 1001 keys/);
  });
});

describe("judgeSpeedView", () => {
  it("passes the totals since the cut-off, whatever else the view holds (the grader's probe cards)", () => {
    const verdict = judgeSpeedView(answer({ "card-1000": 12.5, "card-2000": 3, "card-9417": 9.99, "probe-0000": 7 }), "speed-view.json", feed);
    expect(verdict).toEqual({
      passed: true,
      finding: "passed",
      detail: "speed-view.json holds the totals of the 4 payments since the cut-off for all 3 cards, and none before it.",
    });
  });

  it("names the payments before the cut-off that a speed layer reading the whole topic counts again", () => {
    const verdict = judgeSpeedView(answer({ "card-1000": 17.5, "card-2000": 3, "card-9417": 9.99 }), "speed-view.json", feed);
    expect(verdict.finding).toBe("double-counted");
    expect(verdict.detail).toBe(
      "speed-view.json counts payments from before the cut-off too: for card-1000 it has 17.50, which is 12.50 plus 5.00 of its payments before 2016-05-08 00:00:00. Topic payments still holds the last 1 payment before the cut-off, and the batch view counts them already; the speed layer must skip every payment with a timestamp before 2016-05-08 00:00:00.",
    );
  });

  it("says which card is missing, and that a new card is only in Kafka", () => {
    expect(judgeSpeedView(answer({ "card-1000": 12.5, "card-2000": 3 }), "v.json", feed)).toEqual({
      passed: false,
      finding: "missing-cards",
      detail:
        "v.json has no total for card-9417, which paid 9.99 since the cut-off. card-9417 is a card first used after the cut-off: only topic payments knows it.",
    });
    expect(judgeSpeedView(answer({ other: 1 }), "v.json", feed).finding).toBe("no-cards");
  });

  it("names the first card that is off", () => {
    expect(judgeSpeedView(answer({ "card-1000": 12.5, "card-2000": 4, "card-9417": 10.5 }), "v.json", feed)).toEqual({
      passed: false,
      finding: "mismatch",
      detail: "For card-2000 (and 1 more card) v.json has 4.00; its payments in topic payments since 2016-05-08 00:00:00 total 3.00.",
    });
  });
});

describe("probePayments", () => {
  it("draws a new card's payments from the nonce, after the given instant", () => {
    expect(probePayments("1a2b3c4d", 0)).toEqual(probePayments("1a2b3c4d", 0));
    expect(probe.card).toBe("probe-1a2b3c4d");
    expect(probe.payments.map((p) => p.timestamp)).toEqual(["2016-05-08 02:00:01", "2016-05-08 02:00:02", "2016-05-08 02:00:03"]);
    expect(probe.cents).toBe(probe.payments.reduce((sum, p) => sum + p.cents, 0));
    expect(JSON.parse(probe.messages[0]?.value ?? "")).toEqual({
      card: "probe-1a2b3c4d",
      id: probe.payments[0]?.id,
      timestamp: "2016-05-08 02:00:01",
      amount: (probe.payments[0]?.cents ?? 0) / 100,
    });
    expect(probePayments("ffff0000", 0).cents).not.toBe(probePayments("1a2b3c4d", 0).cents);
  });
});

describe("judgeServingAnswer", () => {
  const withProbe = (entries: Record<string, number>) => answer({ ...entries, [probe.card]: probe.cents / 100 });

  it("passes batch + speed for every card with the grader's payments in, ignoring earlier probes", () => {
    const verdict = judgeServingAnswer(withProbe({ ...merged, "probe-00000000": 3 }), serving);
    expect(verdict).toEqual({
      passed: true,
      finding: "passed",
      detail:
        "`python3 serve.py` answers all 3 cards with their batch and speed totals, and the grader's 3 payments of the new card probe-1a2b3c4d within 45 s.",
    });
  });

  it("says the speed layer is not running when all is right but the grader's payments", () => {
    const verdict = judgeServingAnswer(answer(merged), serving);
    expect(verdict.finding).toBe("not-live");
    expect(verdict.detail).toContain("did not show within 45 s. Is your speed layer still running?");
    expect(judgeServingAnswer(answer({ ...merged, [probe.card]: 1 }), serving).finding).toBe("probe-mismatch");
  });

  it("tells the batch view alone, the speed view alone and the overlap counted twice apart", () => {
    const batchOnly = judgeServingAnswer(withProbe({ "card-1000": 100, "card-2000": 200 }), serving);
    expect(batchOnly.finding).toBe("batch-only");
    expect(batchOnly.detail).toBe(
      "`python3 serve.py` answers only the batch view: for card-1000 it has 100.00, its total up to the cut-off, but card-1000 paid 12.50 more since 2016-05-08 00:00:00 (topic payments). Add each card's speed view total to its batch view total.",
    );
    expect(judgeServingAnswer(withProbe({ "card-1000": 12.5, "card-2000": 3, "card-9417": 9.99 }), serving).finding).toBe("speed-only");
    expect(judgeServingAnswer(withProbe({ "card-1000": 17.5, "card-2000": 3, "card-9417": 9.99 }), serving).finding).toBe("speed-only");
    const twice = judgeServingAnswer(withProbe({ ...merged, "card-1000": 117.5 }), serving);
    expect(twice.finding).toBe("double-counted");
    expect(twice.detail).toContain(
      "The answer of `python3 serve.py` counts payments from before the cut-off too: for card-1000 it has 117.50, which is 112.50 plus 5.00",
    );
  });

  it("names a missing card, and otherwise the first card that is off with its parts", () => {
    const missing = judgeServingAnswer(withProbe({ "card-1000": 112.5, "card-2000": 203 }), serving);
    expect(missing).toEqual({
      passed: false,
      finding: "missing-cards",
      detail:
        "`python3 serve.py` has no total for card-9417, whose batch and speed totals make 9.99. It is a card first used after the cut-off: only the speed view has it.",
    });
    expect(judgeServingAnswer(withProbe({ ...merged, "card-2000": 1 }), serving)).toEqual({
      passed: false,
      finding: "mismatch",
      detail: "For card-2000 `python3 serve.py` answers 1.00; its batch view total 200.00 plus its 3.00 since the cut-off make 203.00.",
    });
  });
});
