import type { CardPaymentsDataset } from "../lab-model";
import { formatTimestamp } from "./event-time";
import { seededRandom } from "./seeded-random";

/**
 * A card issuer's payments, the master dataset of the Lambda lab (25): every payment up to the
 * batch cut-off, as the batch layer archived them from the payment feed. The feed itself goes on
 * past the cut-off in Kafka (lab-runner's payment-feed.ts), where only the speed layer sees it.
 */
export interface CardPayment {
  /** "2016-05-07 23:41:07", the book's timestamp format. */
  timestamp: string;
  /** "tx-3f9a0c12": what the payment is known by. */
  id: string;
  /** "card-4821": the key of every view. */
  card: string;
  /** The amount in cents, so totals are exact integers until the last division. */
  cents: number;
}

export const cardPaymentsHeader = "timestamp,id,card,amount";

const dayMs = 86_400_000;
/** Every learner's payments start here, so the cut-off (its end) is the same date for all and the lab's text can name it. */
const firstDayMs = Date.UTC(2016, 4, 1);

/** The batch cut-off: the instant the master dataset ends, `days` after its start ("2016-05-08 00:00:00" for 7 days). */
export const cardPaymentsCutoffMs = (spec: Pick<CardPaymentsDataset, "days">) => firstDayMs + spec.days * dayMs;
export const cardPaymentsCutoff = (spec: Pick<CardPaymentsDataset, "days">) => formatTimestamp(cardPaymentsCutoffMs(spec));

/** "42.17": always two decimals, as in the CSV and the feed. */
export const formatAmount = (cents: number) => (cents / 100).toFixed(2);

/**
 * One learner's payments: `payments` of them spread over `days` days before the cut-off, in time
 * order (each slot jittered by less than half a slot, so no two share a second), each by one of
 * `cards` cards with seed-drawn four-digit numbers 1000–8999 (every card pays at least once).
 * Amounts are 1.00–250.00, mostly small, as card payments are.
 */
export function cardPayments(spec: Pick<CardPaymentsDataset, "cards" | "days" | "payments">, seed: string): CardPayment[] {
  const random = seededRandom(`card-payments\u0000${seed}`);
  const cards: string[] = [];
  while (cards.length < spec.cards) {
    const card = `card-${random.int(1000, 8999)}`;
    if (!cards.includes(card)) cards.push(card);
  }
  const ids = new Set<string>();
  const slotSeconds = (spec.days * 86_400) / spec.payments;
  const payments: CardPayment[] = [];
  for (let i = 0; i < spec.payments; i++) {
    let id: string;
    do id = `tx-${random.int(0, 0xffff_ffff).toString(16).padStart(8, "0")}`;
    while (ids.has(id));
    ids.add(id);
    const second = Math.floor(i * slotSeconds) + random.int(0, Math.max(0, Math.floor(slotSeconds / 2) - 1));
    const card = cards[i < cards.length ? i : random.int(0, cards.length - 1)];
    if (card === undefined) throw new Error("a payment without a card");
    payments.push({ timestamp: formatTimestamp(firstDayMs + second * 1000), id, card, cents: 100 + Math.floor(random.next() ** 2 * 24_901) });
  }
  return payments;
}

/** The CSV a learner finds in the workspace: header `timestamp,id,card,amount`, one payment a line. */
export function cardPaymentsCsv(payments: readonly CardPayment[]): string {
  return `${cardPaymentsHeader}\n${payments.map((p) => `${p.timestamp},${p.id},${p.card},${formatAmount(p.cents)}\n`).join("")}`;
}

/** Every card's total in cents over the payments: what a batch view or a speed view of card totals holds. */
export function totalsByCard(payments: Iterable<Pick<CardPayment, "card" | "cents">>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const payment of payments) totals.set(payment.card, (totals.get(payment.card) ?? 0) + payment.cents);
  return totals;
}
