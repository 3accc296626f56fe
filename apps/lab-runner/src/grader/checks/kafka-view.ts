import { computeView, kafkaViewNames, viewFields, viewLogic, type KafkaViewName, type Sale, type ShopRevenue } from "@cookbook/content/labs";
import { failed, failedWith, passed, plural, quote, type CheckVerdict, type Finding } from "./verdict";

/** One message of the learner's view topic. */
export interface ViewMessage {
  partition: number;
  offset: string;
  key: string | null;
  /** Null for a tombstone (a deleted row). */
  value: string | null;
}

export interface ViewJudgement {
  /** The learner's view topic and the seeded topic it is derived from, as feedback names them. */
  topic: string;
  from: string;
  view: KafkaViewName;
  /** Every sale of `from`, from its first offset. */
  sales: readonly Sale[];
  messages: readonly ViewMessage[];
}

/**
 * Money is often converted and rounded to the cent one sale at a time, or summed first and
 * rounded once: both are right, so a row may be off by half a cent per sale, plus one.
 */
const toleranceCents = (sales: number) => 1 + sales / 2;

const euros = (n: number) => n.toFixed(2);
const describeRow = (row: ShopRevenue) => `${euros(row.revenueEur)} over ${plural(row.sales, "sale")}`;

function listed(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

const number = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);

/** A view row as the learner's job wrote it: JSON with the revenue and the sales count (numbers, or numbers as strings). */
export function parseViewRow(text: string): ShopRevenue | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const revenueEur = number(record[viewFields.revenue]);
  const sales = number(record[viewFields.sales]);
  return Number.isFinite(revenueEur) && Number.isInteger(sales) ? { revenueEur, sales } : null;
}

function matches(row: ShopRevenue, expected: ShopRevenue): boolean {
  return row.sales === expected.sales && Math.abs(row.revenueEur - expected.revenueEur) * 100 <= toleranceCents(expected.sales);
}

const sum = (a: ShopRevenue, b: ShopRevenue): ShopRevenue => ({ revenueEur: a.revenueEur + b.revenueEur, sales: a.sales + b.sales });

/** Why a view counts fewer sales than its topic holds, and the two ways to replay. */
const notReplayedWhy = (from: string) =>
  `The job that built it did not read topic ${from} from its first offset: a consumer group that has committed offsets carries on from them, and a new group starts at the end of the log unless it is told to start at the earliest offset (auto_offset_reset="earliest", --from-beginning). Replay the log: give the job a new group that starts at the earliest offset, or stop it and move its group back with kafka-consumer-groups.sh --reset-offsets --group <group> --topic ${from} --to-earliest --execute.`;

/**
 * Judges a view topic against the grader's own view over every sale: each shop's latest
 * message (the one compaction keeps) must be its row, with the revenue and the sales count of
 * the view's logic. Older messages do not count, so a view rebuilt into its topic again is
 * judged by what it says now. Feedback names the mistake behind a wrong row: a job that did not
 * replay from the first offset, one that added the replay to totals it had kept from before,
 * and one with another view's logic (the bug still in it, or a view rebuilt with the fix).
 */
export function evaluateView(j: ViewJudgement): CheckVerdict {
  const total = j.sales.length;
  const ordered = [...j.messages].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  const latest = new Map<string, ViewMessage>();
  const partitionsOf = new Map<string, Set<number>>();
  const unkeyed = ordered.filter((m) => m.key === null);
  for (const message of ordered) {
    if (message.key === null) continue;
    latest.set(message.key, message);
    partitionsOf.set(message.key, (partitionsOf.get(message.key) ?? new Set()).add(message.partition));
  }
  const rows = new Map<string, ShopRevenue>();
  const unreadable: ViewMessage[] = [];
  for (const [key, message] of latest) {
    if (message.value === null) continue;
    const row = parseViewRow(message.value);
    if (row) rows.set(key, row);
    else unreadable.push(message);
  }
  if (rows.size === 0 && unreadable.length === 0 && unkeyed.length === 0) {
    return failed(
      "empty",
      `Topic ${j.topic} holds no rows of the view yet: none of the ${plural(total, "sale")} of topic ${j.from} is counted. ${notReplayedWhy(j.from)}`,
    );
  }

  const views = new Map(kafkaViewNames.map((name) => [name, computeView(name, j.sales)]));
  /** A shop's row in one of the known views (every view has the same shops: those of the sales). */
  const rowOf = (name: KafkaViewName, shop: string): ShopRevenue => views.get(name)?.get(shop) ?? { revenueEur: 0, sales: 0 };
  const shops = [...(views.get(j.view)?.keys() ?? [])].sort();
  const short: string[] = [];
  const appended: { shop: string; row: ShopRevenue; parts: [KafkaViewName, KafkaViewName] }[] = [];
  const otherLogic: { shop: string; row: ShopRevenue; name: KafkaViewName }[] = [];
  const overCounted: string[] = [];
  const wrongRevenue: string[] = [];
  for (const shop of shops) {
    const want = rowOf(j.view, shop);
    const row = rows.get(shop);
    if (!row) {
      if (!unreadable.some((m) => m.key === shop)) short.push(`${shop}: none of its ${want.sales}`);
      continue;
    }
    if (matches(row, want)) continue;
    if (row.sales < want.sales) {
      short.push(`${shop}: ${row.sales} of its ${want.sales}`);
      continue;
    }
    const other = kafkaViewNames.find((name) => name !== j.view && matches(row, rowOf(name, shop)));
    if (row.sales === want.sales) {
      if (other) otherLogic.push({ shop, row, name: other });
      else
        wrongRevenue.push(
          `${shop}'s ${viewFields.revenue} is ${euros(row.revenueEur)} over its ${plural(want.sales, "sale")}; with ${viewLogic(j.view)} it is ${euros(want.revenueEur)}`,
        );
      continue;
    }
    const pair = kafkaViewNames
      .flatMap((a, i) => kafkaViewNames.slice(i).map((b): [KafkaViewName, KafkaViewName] => [a, b]))
      .find(([a, b]) => matches(row, sum(rowOf(a, shop), rowOf(b, shop))));
    // The old totals first, then the replay's: the view this check asks for, if it is one of them.
    if (pair) appended.push({ shop, row, parts: pair[0] === j.view ? [pair[1], pair[0]] : pair });
    else overCounted.push(`${shop}: ${row.sales} where topic ${j.from} has ${want.sales}`);
  }
  const strangers = [...rows.keys()].filter((key) => !shops.includes(key)).sort();

  const findings: Finding[] = [];
  const [firstUnkeyed] = unkeyed;
  if (firstUnkeyed) {
    findings.push({
      finding: "unkeyed",
      detail: `${plural(unkeyed.length, "message")} of topic ${j.topic} ${unkeyed.length === 1 ? "has" : "have"} no key (e.g. partition ${firstUnkeyed.partition}, offset ${firstUnkeyed.offset}). A view holds one row per shop, and only the key tells its readers (and compaction) which messages are rows of the same shop: produce every row with its shop as the key.`,
    });
  }
  const split = [...partitionsOf.entries()].filter(([, partitions]) => partitions.size > 1).map(([key]) => key);
  if (split.length > 0) {
    findings.push({
      finding: "key-on-several-partitions",
      detail: `The rows of ${listed(split)} are on several partitions of topic ${j.topic}, so which of them is the latest cannot be told: Kafka keeps a key's messages in order on one partition only while the topic's partition count stays the same and nobody picks partitions by hand.`,
    });
  }
  const [firstUnreadable] = unreadable;
  if (firstUnreadable) {
    findings.push({
      finding: "unreadable",
      detail: `The latest message of ${listed(unreadable.map((m) => m.key ?? ""))} is no row of the view (partition ${firstUnreadable.partition}, offset ${firstUnreadable.offset}: ${quote(firstUnreadable.value ?? "")}). A row is JSON with the numbers ${viewFields.revenue} and ${viewFields.sales}.`,
    });
  }
  if (short.length > 0) {
    const counted = shops.reduce((n, shop) => n + Math.min(rows.get(shop)?.sales ?? 0, rowOf(j.view, shop).sales), 0);
    findings.push({
      finding: "not-replayed",
      detail: `Topic ${j.topic} counts ${counted} of the ${plural(total, "sale")} of topic ${j.from} (${listed(short)}). ${notReplayedWhy(j.from)}`,
    });
  }
  const [firstAppended] = appended;
  if (firstAppended) {
    const [a, b] = firstAppended.parts;
    const parts =
      a === b
        ? `its revenue with ${viewLogic(a)} counted twice`
        : `its revenue with ${viewLogic(a)} (${describeRow(rowOf(a, firstAppended.shop))}) plus its revenue with ${viewLogic(b)} (${describeRow(rowOf(b, firstAppended.shop))})`;
    findings.push({
      finding: "appended",
      detail: `Topic ${j.topic} counts ${appended.length === shops.length ? "every sale" : `the sales of ${listed(appended.map((a) => a.shop))}`} twice: ${firstAppended.shop}'s row is ${describeRow(firstAppended.row)}, ${parts}. The job did not start from nothing: it added the replay to the totals an earlier run left behind (its saved state). A rebuilt view starts empty, with no state and no rows of the old one.`,
    });
  }
  const [firstOther] = otherLogic;
  if (firstOther) {
    const want = rowOf(j.view, firstOther.shop);
    const all = otherLogic.length === shops.length ? "each shop's revenue" : `the revenue of ${listed(otherLogic.map((o) => o.shop))}`;
    findings.push({
      finding: "other-logic",
      detail: `Topic ${j.topic} holds ${all} with ${viewLogic(firstOther.name)} (${firstOther.shop}: ${describeRow(firstOther.row)}), not with ${viewLogic(j.view)} (${firstOther.shop}: ${euros(want.revenueEur)}): the job that built it has other logic than this view.`,
    });
  }
  if (overCounted.length > 0) {
    findings.push({
      finding: "over-counted",
      detail: `Topic ${j.topic} counts more sales than topic ${j.from} holds (${listed(overCounted)}): the job counted some sales more than once.`,
    });
  }
  if (wrongRevenue.length > 0) {
    findings.push({ finding: "wrong-revenue", detail: `${listed(wrongRevenue, 2)}.` });
  }
  if (strangers.length > 0) {
    findings.push({
      finding: "unknown-keys",
      detail: `Topic ${j.topic} has rows keyed by what is no shop of topic ${j.from}: ${listed(strangers.map((key) => quote(key, 40)))}. The key of a row is its shop.`,
    });
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  const [example] = shops;
  const shown = example ? ` (${example}: ${describeRow(rowOf(j.view, example))})` : "";
  return passed(
    `Topic ${j.topic} holds the revenue of each of the ${plural(shops.length, "shop")} over all ${plural(total, "sale")} of topic ${j.from}, with ${viewLogic(j.view)}${shown}.`,
  );
}
