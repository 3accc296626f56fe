import { createHash } from "node:crypto";
import { formatValue, sensorReadings, type SeededTopic, type SensorReading } from "@cookbook/content/labs";

/** A message of a seeded topic as lab-runner publishes it and as the grader looks for it in the learner's result. */
export interface SeededMessage {
  partition: number;
  /** The JSON text: {"sensor":…,"timestamp":…,"value":…}. */
  value: string;
  /** sensor|timestamp|hundredths: how the grader recognises the message in whatever form the learner saved it. */
  identity: string;
}

export const seededMessageIdentity = (sensor: string, timestamp: string, centi: number) => `${sensor}|${timestamp}|${centi}`;

/**
 * The messages of one seeded topic for one sandbox. They are drawn from a SHA-256 of the seed,
 * not from the seed's own stream that also makes the workspace dataset, so nothing the learner
 * can see (the CSV, the lab's source) lets them be computed: they have to be read from Kafka.
 */
export function seededTopicMessages(seeded: SeededTopic, seed: string): SeededMessage[] {
  return seededTopicReadings(seeded, seed).map((reading, i) => ({
    partition: i % seeded.partitions,
    value: JSON.stringify({ sensor: seeded.sensor, timestamp: reading.timestamp, value: Number(formatValue(reading.centi)) }),
    identity: seededMessageIdentity(seeded.sensor, reading.timestamp, reading.centi),
  }));
}

/** The readings the messages carry, in publishing order: what a pipeline that reads the topic computes with. */
export function seededTopicReadings(seeded: SeededTopic, seed: string): SensorReading[] {
  const secret = createHash("sha256").update(`seeded-topic\u0000${seeded.topic}\u0000${seed}`).digest("hex");
  return sensorReadings({ days: 1, intervalSeconds: Math.floor(86_400 / seeded.messages) }, secret).slice(0, seeded.messages);
}
