import { cardPaymentsCutoff, totalsByCard, type CardPaymentsDataset, type SpeedViewCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { paymentFeed } from "../payment-feed";
import { judgeSpeedView, parseCardTotals, type FeedTotals } from "./lambda-views";
import { failed, type CheckVerdict } from "./verdict";

/** The lab's payment feed on `topic` as the grader knows it from the seed, with the dataset it continues. */
export function feedTotals(session: GradingSession, topic: string): { dataset: CardPaymentsDataset; feed: FeedTotals } {
  const seeded = session.lab.seededTopics?.find((t) => t.topic === topic && t.continuesDataset);
  const dataset = session.lab.dataset;
  if (!seeded || dataset?.kind !== "card-payments") throw new CheckFailure("unknown-topic", `This lab seeds no payment feed ${topic}.`);
  const { overlap, after } = paymentFeed(seeded, dataset, session.target.seed);
  const known = new Set((session.learnerDataset().payments ?? []).map((p) => p.card));
  return {
    dataset,
    feed: {
      topic,
      cutoff: cardPaymentsCutoff(dataset),
      after: totalsByCard(after),
      overlap: totalsByCard(overlap),
      afterCount: after.length,
      overlapCount: overlap.length,
      newCards: [...new Set(after.map((p) => p.card))].filter((card) => !known.has(card)),
    },
  };
}

/** Judges the learner's speed view (a workspace file of per-card totals) against the feed's payments since the cut-off. */
export async function checkSpeedView(check: SpeedViewCheck, session: GradingSession, timeoutMs: number): Promise<CheckVerdict> {
  const { feed } = feedTotals(session, check.topic);
  const text = await session.workspaceFile(check.file, timeoutMs);
  if (text === null) {
    return failed(
      "missing-file",
      `${check.file} does not exist in your home directory: your speed layer keeps its view there, one JSON object of each card's total since ${feed.cutoff}.`,
    );
  }
  const parsed = parseCardTotals(text, check.file);
  if (!parsed.ok) return failed(parsed.finding, parsed.problem);
  return judgeSpeedView(parsed.totals, check.file, feed);
}
