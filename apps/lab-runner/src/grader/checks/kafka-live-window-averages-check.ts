import { randomInt } from "node:crypto";
import type { KafkaLiveWindowAveragesCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { liveNonce, liveWindowStart, observeUntil, TopicTail, topicLatestEventTime } from "../live-injection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { failed, type CheckVerdict } from "./verdict";
import { evaluateLiveWindowAverage, liveProbe, outputMessage, probeMessages } from "./window-averages";

/**
 * Publishes a probe sensor's readings into the topic the learner's job reads and watches the
 * output topic until the probe's window shows its average or withinSeconds pass. Only a job that
 * is running and windows by event time can write it: the values are drawn now, and the window
 * lies after every event in the topic and after this check's own end.
 */
export async function checkKafkaLiveWindowAverages(
  check: KafkaLiveWindowAveragesCheck,
  session: GradingSession,
  signal: AbortSignal,
): Promise<CheckVerdict> {
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.input))) return missingTopicVerdict(kafka, check.input);
  // Waiting withinSeconds would only end in "no new message": no job has written anything yet.
  if (!(await kafka.topicExists(check.topic))) {
    return failed(
      "no-output-topic",
      `Topic ${check.topic} does not exist yet, so no job has written averages to it: start your streaming job, and check again once it has written its first.`,
    );
  }
  const withinMs = check.withinSeconds * 1000;
  const latest = await topicLatestEventTime(kafka, check.input, signal);
  // The window starts after the observation ends, so no window of processing time during it can be the probe's.
  const probe = liveProbe(liveNonce(), liveWindowStart(session.now() + withinMs, latest, check.windowSeconds), check, randomInt);
  const tail = await TopicTail.start(kafka, check.topic);
  await kafka.publish(check.input, probeMessages(probe));
  const publishedAt = session.now();
  return observeUntil(
    async () => evaluateLiveWindowAverage(probe, (await tail.read(signal)).map(outputMessage), check, (session.now() - publishedAt) / 1000),
    { withinMs, now: () => session.now(), signal },
  );
}
