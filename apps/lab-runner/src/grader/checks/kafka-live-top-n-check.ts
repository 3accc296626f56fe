import type { KafkaLiveTopNCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { liveNonce, liveWindowStart, observeUntil, TopicTail, topicLatestEventTime } from "../live-injection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { buildLiveProbe, evaluateLiveTopN } from "./trending-windows";
import type { CheckVerdict } from "./verdict";

/**
 * Proves the learner's trending job is running and windows by event time: publishes a burst of
 * views of a title named by a fresh nonce into a window nothing else is in, then watches the
 * output topic until that window's latest top list ranks the burst first with its full count and
 * the next titles after it, or `withinSeconds` pass.
 */
export async function checkKafkaLiveTopN(check: KafkaLiveTopNCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.input);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.input}.`);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const latest = await topicLatestEventTime(kafka, check.input, signal);
  const probe = buildLiveProbe({
    nonce: liveNonce(),
    windowStartMs: liveWindowStart(session.now(), latest, check.windowSeconds),
    windowSeconds: check.windowSeconds,
    maxDelaySeconds: check.maxDelaySeconds,
    country: seeded.sensor,
  });
  const tail = await TopicTail.start(kafka, check.topic);
  // All on one partition, in event-time order: however a job paces its partitions, it sees the
  // burst before the view that closes the burst's window.
  await kafka.publish(
    check.input,
    probe.records.map((value) => ({ partition: 0, value })),
  );
  const judgement = { topic: check.topic, input: check.input, top: check.top, withinSeconds: check.withinSeconds };
  return observeUntil(async () => evaluateLiveTopN(probe, judgement, await tail.read(signal)), {
    withinMs: check.withinSeconds * 1000,
    now: () => session.now(),
    signal,
  });
}
