import { saleSchema, type KafkaViewCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { seededRecordMessages } from "../seeded-records";
import { evaluateView } from "./kafka-view";
import { missingTopicVerdict } from "./kafka-topic-check";
import type { CheckVerdict } from "./verdict";

/**
 * Reads the learner's view topic from its first offset and judges it against the grader's own
 * view over every sale of the seeded topic, drawn from the seed: the sales exist only in Kafka,
 * so no row can be right unless a job read them there.
 */
export async function checkKafkaView(check: KafkaViewCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.from);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.from}.`);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const messages = await kafka.readMessages(check.topic, await kafka.partitionRanges(check.topic), signal);
  return evaluateView({
    topic: check.topic,
    from: check.from,
    view: check.view,
    sales: seededRecordMessages(seeded, session.target.seed).map((message) => saleSchema.parse(JSON.parse(message.value))),
    messages: messages.map((m) => ({
      partition: m.partition,
      offset: m.offset,
      key: m.key == null ? null : m.key.toString("utf8"),
      value: m.value === null ? null : m.value.toString("utf8"),
    })),
  });
}
