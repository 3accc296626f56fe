import type { KafkaDeliveredRecordsCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { seededRecordMessages } from "../seeded-records";
import { evaluateDelivered } from "./delivered-records";
import { missingTopicVerdict } from "./kafka-topic-check";
import { failed, type CheckVerdict } from "./verdict";

/**
 * Reads the learner's output topic as a read_committed consumer would (what downstream systems
 * see) and judges it against the seeded topic it was made from: each committed record once,
 * none of an aborted transaction, and with `transactional` every record written in a transaction.
 */
export async function checkKafkaDeliveredRecords(
  check: KafkaDeliveredRecordsCheck,
  session: GradingSession,
  signal: AbortSignal,
): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.from);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.from}.`);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const ranges = await kafka.partitionRanges(check.topic);
  if (ranges.every((r) => r.high <= r.low)) {
    return failed("no-messages", `Topic ${check.topic} has no messages yet: your app writes every committed record of ${check.from} to it.`);
  }
  const messages = await kafka.readCommittedRecords(check.topic, ranges, signal);
  const items = messages.map((m) => ({
    text: m.value?.toString("utf8") ?? "",
    where: `partition ${m.partition}, offset ${m.offset}`,
    inTransaction: m.inTransaction,
  }));
  return evaluateDelivered({
    what: `topic ${check.topic}`,
    medium: "topic",
    seeded,
    messages: seededRecordMessages(seeded, session.target.seed),
    items,
    ...(check.transactional ? { requireTransactions: true } : {}),
  });
}
