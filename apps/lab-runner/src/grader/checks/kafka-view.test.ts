import { eurPerUnit, saleCurrencies, saleSchema, type KafkaViewName, type Sale, type SeededTopic } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { parseRecord, seededRecordMessages } from "../seeded-records";
import { evaluateView, parseViewRow, type ViewMessage } from "./kafka-view";

const salesTopic: SeededTopic = { topic: "sales", partitions: 3, sensor: "kiosk", messages: 60, record: "shop-sale" };
const salesOf = (seed: string): Sale[] => seededRecordMessages(salesTopic, seed).map((m) => saleSchema.parse(JSON.parse(m.value)));
const sales = salesOf("s1");

type State = Map<string, { revenue_eur: number; sales: number }>;

/**
 * What the lab's processor writes: for every sale its shop's new running total (rounded to the
 * cent each time), keyed by the shop, appended after `previous` on two partitions.
 */
function runJob(
  logic: (sale: Sale) => number,
  input: readonly Sale[],
  state: State = new Map(),
  previous: readonly ViewMessage[] = [],
): ViewMessage[] {
  const out = [...previous];
  for (const sale of input) {
    const row = state.get(sale.shop) ?? { revenue_eur: 0, sales: 0 };
    row.revenue_eur = Math.round((row.revenue_eur + logic(sale)) * 100) / 100;
    row.sales += 1;
    state.set(sale.shop, row);
    const partition = Number(sale.shop.slice(-1)) % 2;
    const offset = out.filter((m) => m.partition === partition).length;
    out.push({ partition, offset: String(offset), key: sale.shop, value: JSON.stringify({ shop: sale.shop, ...row }) });
  }
  return out;
}
const converted = (sale: Sale) => sale.amount * eurPerUnit[sale.currency];
const unconverted = (sale: Sale) => sale.amount;

const judge = (messages: readonly ViewMessage[], view: KafkaViewName = "revenue-per-shop", input: readonly Sale[] = sales) =>
  evaluateView({ topic: "shop-revenue-v2", from: "sales", view, sales: input, messages });

describe("shop-sale records", () => {
  it("come from four shops in the known currencies, the same for a seed and other for another", () => {
    expect(new Set(sales.map((s) => s.shop))).toEqual(new Set(["kiosk-1", "kiosk-2", "kiosk-3", "kiosk-4"]));
    expect(sales.every((s) => saleCurrencies.includes(s.currency))).toBe(true);
    expect(new Set(sales.map((s) => s.currency)).size).toBe(saleCurrencies.length);
    expect(salesOf("s1")).toEqual(sales);
    expect(salesOf("s2")).not.toEqual(sales);
  });

  it("are recognised by id with their shop, amount and currency", () => {
    const [first] = seededRecordMessages(salesTopic, "s1");
    const sale = JSON.parse(first?.value ?? "{}") as Record<string, unknown>;
    expect(parseRecord("shop-sale", JSON.stringify({ ...sale, amount: String(sale.amount) }))).toEqual({
      key: sale.id,
      fingerprint: `${sale.shop}|${Math.round(Number(sale.amount) * 100)}|${sale.currency}`,
    });
    expect(parseRecord("shop-sale", JSON.stringify({ ...sale, currency: undefined }))).toBeNull();
  });
});

describe("parseViewRow", () => {
  it("reads the revenue and the sales count, as numbers or numeric strings", () => {
    expect(parseViewRow('{"shop":"kiosk-1","revenue_eur":12.5,"sales":3}')).toEqual({ revenueEur: 12.5, sales: 3 });
    expect(parseViewRow('{"revenue_eur":"12.50","sales":"3"}')).toEqual({ revenueEur: 12.5, sales: 3 });
    expect(parseViewRow('{"revenue_eur":12.5}')).toBeNull();
    expect(parseViewRow('{"revenue_eur":12.5,"sales":2.5}')).toBeNull();
    expect(parseViewRow("kiosk-1,12.5,3")).toBeNull();
  });
});

describe("evaluateView", () => {
  it("passes the fixed job's view, rounded per sale or summed first", () => {
    const verdict = judge(runJob(converted, sales));
    expect(verdict.passed).toBe(true);
    expect(verdict.detail).toContain("each of the 4 shops over all 60 sales of topic sales, with every amount converted to euros");
    const exact = [...new Set(sales.map((s) => s.shop))].map((shop, i) => {
      const mine = sales.filter((s) => s.shop === shop);
      const revenue = mine.reduce((sum, s) => sum + converted(s), 0);
      return { partition: 0, offset: String(i), key: shop, value: JSON.stringify({ revenue_eur: revenue, sales: mine.length }) };
    });
    expect(judge(exact).passed).toBe(true);
  });

  it("judges each shop's latest row, as compaction keeps it, so a view rebuilt into its topic again counts as it is now", () => {
    const rebuilt = runJob(converted, sales, new Map(), runJob(unconverted, sales));
    expect(judge(rebuilt).passed).toBe(true);
    const old = judge(rebuilt, "revenue-per-shop-unconverted");
    expect(old).toMatchObject({ passed: false, finding: "other-logic" });
    expect(old.detail).toContain("each shop's revenue with every amount converted to euros");
    expect(old.detail).toContain("not with every amount added as it is, whatever its currency");
  });

  it("names the old logic when the bug was replayed again", () => {
    const verdict = judge(runJob(unconverted, sales));
    expect(verdict).toMatchObject({ passed: false, finding: "other-logic" });
    expect(verdict.detail).toContain("with every amount added as it is, whatever its currency");
    expect(judge(runJob(unconverted, sales), "revenue-per-shop-unconverted").passed).toBe(true);
  });

  it("says the job did not replay when the topic is empty or counts only later sales", () => {
    const empty = judge([]);
    expect(empty).toMatchObject({ passed: false, finding: "empty" });
    expect(empty.detail).toContain("did not read topic sales from its first offset");
    expect(empty.detail).toContain("--reset-offsets --group <group> --topic sales --to-earliest --execute");
    const late = judge(runJob(converted, sales.slice(40)));
    expect(late).toMatchObject({ passed: false, finding: "not-replayed" });
    expect(late.detail).toMatch(/^Topic shop-revenue-v2 counts 20 of the 60 sales of topic sales \(kiosk-\d: \d+ of its \d+/);
  });

  it("says the replay was added to the old view's state", () => {
    const state: State = new Map();
    runJob(unconverted, sales, state);
    const verdict = judge(runJob(converted, sales, state));
    expect(verdict).toMatchObject({ passed: false, finding: "appended" });
    expect(verdict.detail).toContain("counts every sale twice");
    expect(verdict.detail).toContain("its revenue with every amount added as it is, whatever its currency (");
    expect(verdict.detail).toContain("plus its revenue with every amount converted to euros (");
    expect(verdict.detail).toContain("A rebuilt view starts empty");
    const twice = new Map() as State;
    runJob(converted, sales, twice);
    expect(judge(runJob(converted, sales, twice)).detail).toContain("its revenue with every amount converted to euros counted twice");
  });

  it("fails a row that is off by more than rounding, and counts that are too high", () => {
    const messages = runJob(converted, sales);
    const last = messages.at(-1) as ViewMessage;
    const row = JSON.parse(last.value ?? "{}") as { revenue_eur: number; sales: number };
    const off = [...messages, { ...last, offset: "999", value: JSON.stringify({ ...row, revenue_eur: row.revenue_eur + 0.5 }) }];
    expect(judge(off)).toMatchObject({ passed: false, finding: "wrong-revenue" });
    const more = [...messages, { ...last, offset: "999", value: JSON.stringify({ ...row, sales: row.sales + 1 }) }];
    expect(judge(more)).toMatchObject({ passed: false, finding: "over-counted" });
  });

  it("needs keys, one partition per key, readable rows and only shops", () => {
    const messages = runJob(converted, sales);
    const unkeyed = judge(messages.map((m) => ({ ...m, key: null })));
    expect(unkeyed).toMatchObject({ passed: false, finding: "unkeyed" });
    expect(unkeyed.detail).toContain("60 messages of topic shop-revenue-v2 have no key");
    const moved = messages.map((m, i) => (i === 0 ? { ...m, partition: 1 - m.partition, offset: "500" } : m));
    expect(judge(moved).finding).toBe("key-on-several-partitions");
    const torn = [...messages, { partition: 1, offset: "999", key: "kiosk-1", value: "kiosk-1,12.50" }];
    expect(judge(torn)).toMatchObject({ passed: false, finding: "unreadable" });
    const stranger = [...messages, { partition: 0, offset: "999", key: "total", value: '{"revenue_eur":1,"sales":1}' }];
    expect(judge(stranger)).toMatchObject({ passed: false, finding: "unknown-keys" });
    const deleted = [...messages, { partition: 0, offset: "999", key: "kiosk-2", value: null }];
    expect(judge(deleted)).toMatchObject({ passed: false, finding: "not-replayed" });
  });

  it("fails another learner's view: their sales are not these", () => {
    expect(judge(runJob(converted, salesOf("s2"))).passed).toBe(false);
  });
});
