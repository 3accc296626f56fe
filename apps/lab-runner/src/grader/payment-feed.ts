import { createHash } from "node:crypto";
import {
  cardPayments,
  cardPaymentsCutoffMs,
  formatAmount,
  type CardPayment,
  type CardPaymentsDataset,
  type SeededTopic,
} from "@cookbook/content/labs";
import { formatEventTime } from "./live-injection";

/**
 * The payment feed of a Lambda lab: a seeded topic that continues the learner's card-payments
 * dataset (`continuesDataset`). It still holds the dataset's last payments before the cut-off,
 * which the batch layer has already, and goes on past the cut-off with payments drawn from a
 * SHA-256 of the seed (not from the dataset's own stream), so nothing in the workspace tells
 * them: only a consumer of the topic knows them.
 */
export interface PaymentFeed {
  /** The dataset's last payments, before the cut-off: the batch view counts them already. */
  overlap: CardPayment[];
  /** The payments after the cut-off, which only the speed layer sees. */
  after: CardPayment[];
  /** Both as published, in time order, each keyed by its card on its card's partition. */
  messages: { partition: number; key: string; value: string }[];
}

/** The JSON a feed message holds, as the lab's text shows it: {"card":…,"id":…,"timestamp":…,"amount":42.17}. */
export const paymentMessage = (payment: CardPayment) =>
  JSON.stringify({ card: payment.card, id: payment.id, timestamp: payment.timestamp, amount: Number(formatAmount(payment.cents)) });

/** An unsigned 32-bit number drawn from the feed's secret, for payment i and one purpose. */
function draw(secret: string, i: number, what: string): number {
  return createHash("sha256").update(`${secret}\u0000${what}\u0000${i}`).digest().readUInt32BE(0);
}

/** The feed's payments after the cut-off are spread over this long. */
const afterCutoffSeconds = 2 * 3600;

export function paymentFeed(seeded: SeededTopic, dataset: CardPaymentsDataset, seed: string): PaymentFeed {
  const payments = cardPayments(dataset, seed);
  const overlap = payments.slice(-(seeded.continuesDataset?.overlap ?? 0));
  // The dataset's cards, and `sensor`: a card first used after the cut-off, known only to the speed layer.
  const cards = [...new Set([...payments.map((p) => p.card), seeded.sensor])].sort();
  const secret = createHash("sha256").update(`payment-feed\u0000${seeded.topic}\u0000${seed}`).digest("hex");
  const cutoffMs = cardPaymentsCutoffMs(dataset);
  const interval = Math.floor(afterCutoffSeconds / seeded.messages);
  const after = Array.from({ length: seeded.messages }, (_, i): CardPayment => {
    // Every card pays at least once after the cut-off, so each one's speed view has something to show.
    const card = cards[i < cards.length ? i : draw(secret, i, "card") % cards.length] ?? seeded.sensor;
    const second = i * interval + (draw(secret, i, "jitter") % Math.max(1, Math.floor(interval / 2)));
    return {
      timestamp: formatEventTime(cutoffMs + second * 1000),
      id: `tx-${draw(secret, i, "id").toString(16).padStart(8, "0")}`,
      card,
      cents: 100 + (draw(secret, i, "amount") % 24_901),
    };
  });
  const partitionOf = (card: string) => Math.max(0, cards.indexOf(card)) % seeded.partitions;
  const messages = [...overlap, ...after].map((payment) => ({
    partition: partitionOf(payment.card),
    key: payment.card,
    value: paymentMessage(payment),
  }));
  return { overlap, after, messages };
}
