import { createHash } from "node:crypto";
import { formatAmount, type CardPayment } from "@cookbook/content/labs";
import { formatEventTime } from "../live-injection";
import { paymentMessage } from "../payment-feed";
import { failed, passed, plural, quote, type CheckVerdict } from "./verdict";

/**
 * The judgement of a Lambda lab's views, apart from reading them: a speed view (a file of per-card
 * totals since the cut-off) and a serving query's answer (batch view + speed view, per card). Both
 * are the learner's text, so they are parsed strictly and capped. The grader knows every part from
 * the seed: the batch view's totals (the master dataset), the payments after the cut-off (the
 * feed), the payments before it that the feed still holds (the overlap a careless speed layer
 * counts twice), and its own probe payments, which only a running speed layer can have seen.
 */

/** Card totals are a few dozen lines of JSON; more is not an answer. */
export const maxTotalsBytes = 64 * 1024;
const maxCards = 1000;

export type ParsedTotals = { ok: true; totals: Map<string, number> } | { ok: false; finding: string; problem: string };

/** `{"card-4821": 1234.56, …}` as cents per card; `what` names the text in the problem ("speed-view.json", "its output"). */
export function parseCardTotals(text: string, what: string): ParsedTotals {
  const bytes = Buffer.byteLength(text);
  if (bytes > maxTotalsBytes)
    return { ok: false, finding: "too-large", problem: `${what} is ${bytes} bytes: far more than one JSON object of card totals.` };
  const trimmed = text.trim();
  if (trimmed === "")
    return { ok: false, finding: "empty", problem: `${what} is empty: expected one JSON object of card totals like {"card-4821": 1234.56}.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return {
      ok: false,
      finding: "not-json",
      problem: `${what} is not one JSON object: it begins ${quote(trimmed, 60)}. Print only the JSON of the totals, like {"card-4821": 1234.56} (anything else goes to stderr).`,
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, finding: "not-an-object", problem: `${what} is JSON, but not an object of card totals: ${quote(trimmed, 60)}.` };
  }
  const entries = Object.entries(parsed);
  if (entries.length > maxCards)
    return { ok: false, finding: "too-large", problem: `${what} has ${entries.length} keys: far more cards than there are.` };
  const totals = new Map<string, number>();
  for (const [card, total] of entries) {
    if (typeof total !== "number" || !Number.isFinite(total)) {
      return {
        ok: false,
        finding: "not-a-number",
        problem: `In ${what} the total of ${quote(card, 40)} is ${quote(JSON.stringify(total), 40)}: every total must be a number, like {"card-4821": 1234.56}.`,
      };
    }
    totals.set(card, Math.round(total * 100));
  }
  return { ok: true, totals };
}

/** Sums add up in floating point: a cent either way is the same total. */
const toleranceCents = 1;
const sum =
  (...parts: ReadonlyMap<string, number>[]) =>
  (card: string) =>
    parts.reduce((total, part) => total + (part.get(card) ?? 0), 0);

/** Whether every card's value in `actual` (a missing card counts as 0) is `expected` of it. */
function matches(actual: ReadonlyMap<string, number>, cards: readonly string[], expected: (card: string) => number): boolean {
  return cards.every((card) => Math.abs((actual.get(card) ?? 0) - expected(card)) <= toleranceCents);
}

/** The feed as the grader knows it from the seed. */
export interface FeedTotals {
  /** The seeded topic. */
  topic: string;
  cutoff: string;
  /** Per card, in cents: the payments after the cut-off, and the ones before it that the topic still holds. */
  after: ReadonlyMap<string, number>;
  overlap: ReadonlyMap<string, number>;
  afterCount: number;
  overlapCount: number;
  /** Cards first used after the cut-off: no batch view has them. */
  newCards: readonly string[];
}

/** The first card, in name order, where the answer is off; and how many are. */
function firstOff(actual: ReadonlyMap<string, number>, cards: readonly string[], expected: (card: string) => number) {
  const off = cards.filter((card) => Math.abs((actual.get(card) ?? 0) - expected(card)) > toleranceCents);
  return { card: off[0], more: off.length > 1 ? ` (and ${plural(off.length - 1, "more card")})` : "" };
}

function doubleCountedDetail(what: string, actual: ReadonlyMap<string, number>, feed: FeedTotals, rest: (card: string) => number): string {
  const card = [...feed.overlap.keys()].sort()[0] ?? "";
  const shown = actual.get(card) ?? 0;
  return `${what} counts payments from before the cut-off too: for ${card} it has ${formatAmount(shown)}, which is ${formatAmount(rest(card))} plus ${formatAmount(feed.overlap.get(card) ?? 0)} of its payments before ${feed.cutoff}. Topic ${feed.topic} still holds the last ${plural(feed.overlapCount, "payment")} before the cut-off, and the batch view counts them already; the speed layer must skip every payment with a timestamp before ${feed.cutoff}.`;
}

/** A speed view: per card, the total of the feed's payments since the cut-off. Other keys (the grader's probe cards) are not judged. */
export function judgeSpeedView(view: ReadonlyMap<string, number>, file: string, feed: FeedTotals): CheckVerdict {
  const cards = [...feed.after.keys()].sort();
  const after = sum(feed.after);
  if (matches(view, cards, after)) {
    return passed(
      `${file} holds the totals of the ${plural(feed.afterCount, "payment")} since the cut-off for all ${plural(cards.length, "card")}, and none before it.`,
    );
  }
  if (feed.overlap.size > 0 && matches(view, cards, sum(feed.after, feed.overlap))) {
    return failed("double-counted", doubleCountedDetail(file, view, feed, after));
  }
  const absent = cards.filter((card) => !view.has(card));
  if (absent.length === cards.length) {
    return failed(
      "no-cards",
      `${file} has no total for any card that paid since the cut-off (like ${cards[0]}). Your speed layer reads topic ${feed.topic} and keeps, per card, the total of the payments from ${feed.cutoff} on.`,
    );
  }
  const [missing] = absent;
  if (missing) {
    const isNew = feed.newCards.includes(missing) ? ` ${missing} is a card first used after the cut-off: only topic ${feed.topic} knows it.` : "";
    const more = absent.length > 1 ? ` (and ${absent.length - 1} more)` : "";
    return failed(
      "missing-cards",
      `${file} has no total for ${missing}${more}, which paid ${formatAmount(after(missing))} since the cut-off.${isNew}`,
    );
  }
  const { card = "", more } = firstOff(view, cards, after);
  return failed(
    "mismatch",
    `For ${card}${more} ${file} has ${formatAmount(view.get(card) ?? 0)}; its payments in topic ${feed.topic} since ${feed.cutoff} total ${formatAmount(after(card))}.`,
  );
}

/** The payments the grader publishes while it checks: a new card nobody could know of, after everything the topic holds. */
export interface Probe {
  card: string;
  payments: CardPayment[];
  cents: number;
  messages: { key: string; value: string }[];
}

export const probePaymentCount = 3;

/** Payments of card probe-<nonce>, amounts drawn from the nonce, a second apart from `afterMs` on. */
export function probePayments(nonce: string, afterMs: number): Probe {
  const card = `probe-${nonce}`;
  const payments = Array.from({ length: probePaymentCount }, (_, i): CardPayment => {
    const drawn = createHash("sha256").update(`probe\u0000${nonce}\u0000${i}`).digest();
    return {
      timestamp: formatEventTime(afterMs + (i + 1) * 1000),
      id: `tx-${drawn.readUInt32BE(0).toString(16).padStart(8, "0")}`,
      card,
      cents: 100 + (drawn.readUInt32BE(4) % 24_901),
    };
  });
  return {
    card,
    payments,
    cents: payments.reduce((total, p) => total + p.cents, 0),
    messages: payments.map((payment) => ({ key: card, value: paymentMessage(payment) })),
  };
}

export interface ServingExpectation extends FeedTotals {
  /** The serving query's command, for feedback. */
  command: string;
  /** Per card, in cents: the batch view's totals over the master dataset. */
  batch: ReadonlyMap<string, number>;
  probe: Probe;
  withinSeconds: number;
}

/**
 * One answer of the serving query: every card's batch total plus its speed total, the grader's
 * probe card included. When it is off, the verdict says which part: no speed view, no batch
 * view, the overlap counted twice, or a speed layer that has stopped (right but for the probe).
 */
export function judgeServingAnswer(answer: ReadonlyMap<string, number>, e: ServingExpectation): CheckVerdict {
  const cards = [...new Set([...e.batch.keys(), ...e.after.keys()])].sort();
  const merged = sum(e.batch, e.after);
  const probe = `the grader's ${plural(e.probe.payments.length, "payment")} of the new card ${e.probe.card}`;
  if (matches(answer, cards, merged)) {
    const seen = answer.get(e.probe.card);
    if (seen !== undefined && Math.abs(seen - e.probe.cents) <= toleranceCents) {
      return passed(
        `${e.command} answers all ${plural(cards.length, "card")} with their batch and speed totals, and ${probe} within ${e.withinSeconds} s.`,
      );
    }
    if (seen === undefined) {
      return failed(
        "not-live",
        `${e.command} answers your cards right, but not ${probe}, published to topic ${e.topic} while the grader checked: they did not show within ${e.withinSeconds} s. Is your speed layer still running? It has to keep consuming the topic and updating its view, and the serving query has to read that view each time it runs.`,
      );
    }
    return failed("probe-mismatch", `${e.command} has ${formatAmount(seen)} for ${e.probe.card}; ${probe} total ${formatAmount(e.probe.cents)}.`);
  }
  if (e.overlap.size > 0 && matches(answer, cards, sum(e.batch, e.after, e.overlap))) {
    return failed("double-counted", doubleCountedDetail(`The answer of ${e.command}`, answer, e, merged));
  }
  const example = [...e.after.keys()].sort().find((card) => e.batch.has(card)) ?? cards[0] ?? "";
  if (matches(answer, cards, sum(e.batch))) {
    return failed(
      "batch-only",
      `${e.command} answers only the batch view: for ${example} it has ${formatAmount(answer.get(example) ?? 0)}, its total up to the cut-off, but ${example} paid ${formatAmount(e.after.get(example) ?? 0)} more since ${e.cutoff} (topic ${e.topic}). Add each card's speed view total to its batch view total.`,
    );
  }
  if (matches(answer, cards, sum(e.after)) || (e.overlap.size > 0 && matches(answer, cards, sum(e.after, e.overlap)))) {
    return failed(
      "speed-only",
      `${e.command} answers only the speed view: for ${example} it has ${formatAmount(answer.get(example) ?? 0)}, but its batch view total of ${formatAmount(e.batch.get(example) ?? 0)} (the master dataset, up to ${e.cutoff}) is missing. Add each card's batch view total to its speed view total.`,
    );
  }
  const absent = cards.filter((card) => !answer.has(card));
  const [missing] = absent;
  if (missing) {
    const more = absent.length > 1 ? ` (and ${absent.length - 1} more)` : "";
    const isNew = e.newCards.includes(missing) ? ` It is a card first used after the cut-off: only the speed view has it.` : "";
    return failed(
      "missing-cards",
      `${e.command} has no total for ${missing}${more}, whose batch and speed totals make ${formatAmount(merged(missing))}.${isNew}`,
    );
  }
  const { card = "", more } = firstOff(answer, cards, merged);
  return failed(
    "mismatch",
    `For ${card}${more} ${e.command} answers ${formatAmount(answer.get(card) ?? 0)}; its batch view total ${formatAmount(e.batch.get(card) ?? 0)} plus its ${formatAmount(e.after.get(card) ?? 0)} since the cut-off make ${formatAmount(merged(card))}.`,
  );
}
