import type { ConsumedMessagesCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { seededMessageIdentity, seededTopicMessages, type SeededMessage } from "../seeded-topics";
import { failed, passed, plural, type CheckVerdict } from "./verdict";

/** The identity of a line that is one of the seeded topic's messages as JSON (any field order, any spacing), else null. */
function identityOf(line: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { sensor, timestamp, value } = parsed as Record<string, unknown>;
  if (typeof sensor !== "string" || typeof timestamp !== "string" || typeof value !== "number") return null;
  return seededMessageIdentity(sensor, timestamp, Math.round(value * 100));
}

/**
 * Judges the learner's saved output against the messages only Kafka holds: each must appear
 * (as a JSON line). Other lines (their own readings, blank lines) do not count against them.
 */
export function evaluateConsumedMessages(check: ConsumedMessagesCheck, text: string, expected: readonly SeededMessage[]): CheckVerdict {
  const found = new Set<string>();
  for (const line of text.split("\n")) {
    const identity = line.trim() === "" ? null : identityOf(line.trim());
    if (identity) found.add(identity);
  }
  const present = expected.filter((message) => found.has(message.identity)).length;
  if (present === expected.length) {
    return passed(`${check.file} holds all ${plural(expected.length, "message")} of topic ${check.topic}: your consumer read the topic.`);
  }
  const missing = expected.find((message) => !found.has(message.identity));
  const example = missing ? ` Missing, for example: ${missing.value}` : "";
  if (present === 0) {
    return failed(
      "none-consumed",
      `${check.file} holds none of the ${plural(expected.length, "message")} of topic ${check.topic}.${example} They are only in Kafka: a consumer has to read the topic from its first offset. A group that has already committed offsets starts from them, not from the beginning; kafka-consumer-groups.sh --reset-offsets --to-earliest moves them back.`,
    );
  }
  return failed(
    "some-missing",
    `${check.file} holds ${present} of the ${plural(expected.length, "message")} of topic ${check.topic}.${example} Read every partition from its first offset.`,
  );
}

export async function checkConsumedMessages(check: ConsumedMessagesCheck, session: GradingSession, timeoutMs: number): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.topic);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.topic}.`);
  const text = await session.workspaceFile(check.file, timeoutMs);
  if (text === null) {
    return failed(
      "missing",
      `${check.file} does not exist in your home directory: save the messages your consumer prints there (… > ${check.file}).`,
    );
  }
  return evaluateConsumedMessages(check, text, seededTopicMessages(seeded, session.target.seed));
}
