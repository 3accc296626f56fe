import type { JsonFieldType, KafkaMessagesCheck, SensorReading } from "@cookbook/content/labs";
import { formatValue } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import type { TopicMessage } from "../kafka-connection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { excerpt, failed, passed, plural, quote, type CheckVerdict } from "./verdict";

const readingKey = (timestamp: string, centi: number) => `${timestamp}|${centi}`;

type MessageOutcome = { reading: string } | { finding: string; problem: string };

/** Why one message does not count (a finding and its words), the reading it is, or null when it counts without one. */
function messageProblem(
  message: TopicMessage,
  shape: Record<string, JsonFieldType>,
  readings: ReadonlySet<string> | undefined,
  sensor: string | undefined,
): MessageOutcome | null {
  const text = message.value?.toString("utf8") ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { finding: "not-json", problem: `is not JSON: ${quote(text)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { finding: "not-json-object", problem: `is not a JSON object: ${quote(text)}` };
  const record = parsed as Record<string, unknown>;
  for (const [field, type] of Object.entries(shape)) {
    if (!(field in record)) return { finding: "missing-field", problem: `: field "${field}" is missing in ${quote(text)}` };
    const actual = record[field] === null ? "null" : typeof record[field];
    if (actual !== type) {
      return {
        finding: "wrong-field-type",
        problem: `: field "${field}" is a ${actual} (${excerpt(JSON.stringify(record[field]) ?? "", 30)}); this step asks for a ${type}`,
      };
    }
  }
  if (!readings) return null;
  const { timestamp, value } = record;
  if (typeof timestamp !== "string" || typeof value !== "number") {
    return { finding: "not-a-reading", problem: `has no string "timestamp" and number "value" to compare with your dataset: ${quote(text)}` };
  }
  const key = readingKey(timestamp, Math.round(value * 100));
  if (!readings.has(key)) return { finding: "not-in-dataset", problem: `is not a reading of your dataset: ${quote(text)}` };
  // In a pipeline of several sensors a reading is known by its sensor too: the one the lab names yours.
  if (sensor !== undefined && record.sensor !== sensor) {
    return { finding: "wrong-sensor", problem: `is one of your readings, but its "sensor" is not "${sensor}", your sensor's name: ${quote(text)}` };
  }
  return { reading: key };
}

/**
 * Counts the messages that have the asked-for shape and, with matchesDataset, are distinct
 * readings of the learner's own dataset. Messages that do not count are reported (the first
 * one as an example) but only fail the check when too few count.
 */
export function evaluateMessages(
  check: KafkaMessagesCheck,
  messages: readonly TopicMessage[],
  dataset: readonly SensorReading[] | undefined,
  /** The dataset's sensor name, when the lab gives it one: its messages must carry it. */
  sensor?: string,
): CheckVerdict {
  const readings = check.matchesDataset && dataset ? new Set(dataset.map((r) => readingKey(r.timestamp, r.centi))) : undefined;
  const matched = new Set<string>();
  let counted = 0;
  let rejected = 0;
  let example: { finding: string; detail: string } | undefined;
  for (const message of messages) {
    const outcome = messageProblem(message, check.shape, readings, sensor);
    if (outcome === null) counted += 1;
    else if ("reading" in outcome) matched.add(outcome.reading);
    else {
      rejected += 1;
      const separator = outcome.problem.startsWith(":") ? "" : " ";
      example ??= {
        finding: outcome.finding,
        detail: `The message at partition ${message.partition}, offset ${message.offset}${separator}${outcome.problem}.`,
      };
    }
  }
  const found = readings ? matched.size : counted;
  const what = readings ? "readings of your dataset" : "messages of the right shape";
  const available = readings ? (dataset?.length ?? 0) : undefined;
  const amount = available !== undefined ? (found === available ? `all ${found}` : `${found} of the ${available}`) : `${found}`;
  const notCounted = example ? ` ${plural(rejected, "message")} in the topic ${rejected === 1 ? "does" : "do"} not count. ${example.detail}` : "";
  if (found >= check.minCount) return passed(`Topic ${check.topic} holds ${amount} ${what}.${notCounted}`);
  const missing = readings && dataset ? dataset.find((r) => !matched.has(readingKey(r.timestamp, r.centi))) : undefined;
  const missingExample = missing && found > 0 ? ` Missing, for example: ${missing.timestamp} (${formatValue(missing.centi)}).` : "";
  // When nothing counts, why the messages do not (not JSON, a field of the wrong type...) is the finding.
  return failed(
    found === 0 && example ? example.finding : "too-few-messages",
    `Topic ${check.topic} holds ${amount} ${what} (${plural(messages.length, "message")} in all); this step asks for at least ${check.minCount}.${missingExample}${notCounted}`,
  );
}

export async function checkKafkaMessages(check: KafkaMessagesCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const ranges = await kafka.partitionRanges(check.topic);
  if (ranges.every((r) => r.high <= r.low)) {
    return failed("no-messages", `Topic ${check.topic} has no messages yet; this step asks for at least ${check.minCount}.`);
  }
  const dataset = check.matchesDataset ? session.learnerDataset().readings : undefined;
  const sensor = session.lab.dataset?.kind === "sensor-readings" ? session.lab.dataset.sensor : undefined;
  const messages = await kafka.readMessages(check.topic, ranges, signal);
  return evaluateMessages(check, messages, dataset, sensor);
}
