import type { KafkaWindowAveragesCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { missingTopicVerdict } from "./kafka-topic-check";
import type { CheckVerdict } from "./verdict";
import { evaluateWindowAverages, outputMessage } from "./window-averages";

/** Reads the whole output topic and judges it against the averages of the learner's own readings (from the seed). */
export async function checkKafkaWindowAverages(check: KafkaWindowAveragesCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const dataset = session.lab.dataset;
  if (dataset?.kind !== "sensor-readings" || !dataset.sensor) {
    throw new CheckFailure("no-dataset", `Lab ${session.lab.slug} has no sensor-readings dataset with a sensor name to compare with.`);
  }
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const messages = await kafka.readMessages(check.topic, await kafka.partitionRanges(check.topic), signal);
  return evaluateWindowAverages(check, dataset.sensor, session.learnerDataset().readings, messages.map(outputMessage));
}
