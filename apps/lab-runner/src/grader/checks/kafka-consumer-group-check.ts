import type { KafkaConsumerGroupCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { graderGroupPrefix, type PartitionRange } from "../kafka-connection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { failed, failedWith, passed, plural, type CheckVerdict, type Finding } from "./verdict";

/** Committed offset per partition; -1 where the group committed none. */
export type CommittedOffsets = ReadonlyMap<number, number>;

/**
 * Judges a group's committed offsets against the topic's partitions. Empty partitions need no
 * commit (a consumer may never be handed a message from them).
 */
export function evaluateCommittedOffsets(
  check: KafkaConsumerGroupCheck,
  ranges: readonly PartitionRange[],
  committed: CommittedOffsets,
  existingGroups: readonly string[],
): CheckVerdict {
  const offsetOf = (partition: number) => committed.get(partition) ?? -1;
  if (ranges.every((r) => offsetOf(r.partition) < 0)) {
    const others = existingGroups.filter((g) => g !== check.group);
    const hint = others.length > 0 ? ` Groups that exist: ${others.join(", ")}.` : " No consumer group has committed anything yet.";
    return failed("no-committed-offsets", `Consumer group ${check.group} has not committed any offset on topic ${check.topic}.${hint}`);
  }
  const consumed = ranges.reduce((sum, r) => sum + Math.max(0, offsetOf(r.partition) - r.low), 0);
  const total = ranges.reduce((sum, r) => sum + (r.high - r.low), 0);
  const findings: Finding[] = [];
  if (check.requireAllPartitions) {
    const behind = ranges.filter((r) => r.high > r.low && offsetOf(r.partition) < r.high);
    if (behind.length > 0) {
      const details = behind.map((r) => {
        const offset = offsetOf(r.partition);
        return offset < 0
          ? `partition ${r.partition}: nothing committed, end ${r.high}`
          : `partition ${r.partition}: committed ${offset}, end ${r.high} (lag ${r.high - offset})`;
      });
      findings.push({
        finding: "lagging",
        detail: `Consumer group ${check.group} has not read topic ${check.topic} to the end: ${details.join("; ")}.`,
      });
    }
  }
  if (check.minCommittedTotal !== undefined && consumed < check.minCommittedTotal) {
    findings.push({
      finding: "too-few-committed",
      detail: `Consumer group ${check.group} has committed ${plural(consumed, "message")} of topic ${check.topic}; this step asks for at least ${check.minCommittedTotal}.`,
    });
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  const read = consumed >= total ? `all ${plural(total, "message")}` : `${consumed} of the ${plural(total, "message")}`;
  return passed(`Consumer group ${check.group} has committed offsets for ${read} in topic ${check.topic}.`);
}

export async function checkKafkaConsumerGroup(check: KafkaConsumerGroupCheck, session: GradingSession): Promise<CheckVerdict> {
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const ranges = await kafka.partitionRanges(check.topic);
  const offsets = await kafka.committedOffsets(check.group, check.topic);
  const committed = new Map((offsets.find((o) => o.topic === check.topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const));
  const groups = await kafka.withAdmin(async (admin) =>
    (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => !g.startsWith(graderGroupPrefix))
      .sort(),
  );
  return evaluateCommittedOffsets(check, ranges, committed, groups);
}
