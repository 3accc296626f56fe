import { viewsPerWindow, type KafkaTopNWindowsCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { seededViewingEvents } from "../seeded-records";
import { missingTopicVerdict } from "./kafka-topic-check";
import { closedWindows, evaluateTrendingHistory, latestTopPerWindow } from "./trending-windows";
import { failed, type CheckVerdict } from "./verdict";

/**
 * Reads the learner's output topic and judges every closed window of the seeded play events
 * against the grader's own count of them, from the seed: the events exist only in Kafka, so only
 * a job that consumed them can have counted them.
 */
export async function checkKafkaTopNWindows(check: KafkaTopNWindowsCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.from);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.from}.`);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const ranges = await kafka.partitionRanges(check.topic);
  if (ranges.every((r) => r.high <= r.low)) {
    return failed(
      "no-messages",
      `Topic ${check.topic} has no messages yet: your job reads topic ${check.from} from its first offset and writes the top ${check.top} of every window to it.`,
    );
  }
  const events = seededViewingEvents(seeded, session.target.seed);
  const latest = Math.max(...events.map((e) => e.ms));
  return evaluateTrendingHistory({
    topic: check.topic,
    from: check.from,
    top: check.top,
    windows: closedWindows(viewsPerWindow(events, check.windowSeconds), latest, check.windowSeconds, check.maxDelaySeconds),
    output: latestTopPerWindow(await kafka.readMessages(check.topic, ranges, signal)),
  });
}
