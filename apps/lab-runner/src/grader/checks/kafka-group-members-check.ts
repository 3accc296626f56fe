import type { KafkaGroupMembersCheck } from "@cookbook/content/labs";
import { AssignerProtocol } from "kafkajs";
import type { GradingSession } from "../check-context";
import { graderGroupPrefix } from "../kafka-connection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { failed, failedWith, passed, plural, type CheckVerdict, type Finding } from "./verdict";

/** One running consumer of a group, as the group coordinator describes it. */
export interface GroupMember {
  /** "console-consumer-fce44269-…": the client id and a UUID the coordinator gave it. */
  memberId: string;
  clientId: string;
  host: string;
  /** The partitions of the checked topic assigned to it; null when its assignment could not be read. */
  partitions: number[] | null;
}

/** A group as the coordinator describes it right now; undefined when the group does not exist. */
export interface LiveGroup {
  /** Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  state: string;
  members: GroupMember[];
}

/** "console-consumer-fce44269": two console consumers share a client id, so the member id's first block tells them apart. */
const memberName = (m: GroupMember) =>
  m.memberId.startsWith(`${m.clientId}-`) ? m.memberId.slice(0, m.clientId.length + 9) : m.memberId || m.clientId;

function partitionList(partitions: readonly number[]): string {
  const sorted = [...partitions].sort((a, b) => a - b);
  if (sorted.length === 0) return "no partition";
  if (sorted.length === 1) return `partition ${sorted[0]}`;
  return `partitions ${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)}`;
}

const keepRunning =
  "Its consumers must still be running when you check: start each one in the background (kafka-console-consumer.sh … --group <group> > file &) and leave them running.";

/**
 * Judges a live group: it is Stable, at least minMembers of its consumers each own partitions of
 * the topic, no partition is owned twice, and together they own all of them. Only running
 * consumers appear in a group's description, so this cannot be met by committed offsets alone.
 */
export function evaluateGroupMembers(
  check: KafkaGroupMembersCheck,
  group: LiveGroup | undefined,
  partitionCount: number,
  existingGroups: readonly string[],
): CheckVerdict {
  const { group: name, topic } = check;
  if (!group || group.state === "Dead") {
    const others = existingGroups.filter((g) => g !== name);
    const known = others.length > 0 ? ` Groups that exist: ${others.join(", ")}.` : "";
    return failed(
      "no-group",
      `Consumer group ${name} does not exist: no consumer has joined it yet. ${keepRunning.replace("<group>", name)}${known}`,
    );
  }
  if (group.members.length === 0) {
    return failed(
      "no-members",
      `Consumer group ${name} exists but no consumer of it is running (state ${group.state}). ${keepRunning.replace("<group>", name)}`,
    );
  }
  if (group.state !== "Stable") {
    return failed(
      "rebalancing",
      `Consumer group ${name} is rebalancing (state ${group.state}): a consumer has just joined or left, and the group is handing out its partitions again. Check again in a few seconds.`,
    );
  }
  const findings: Finding[] = [];
  const owners = group.members.filter((m) => (m.partitions?.length ?? 0) > 0);
  const idle = group.members.length - owners.length;
  const who = owners.map((m) => `${memberName(m)}: ${partitionList(m.partitions ?? [])}`).join("; ");
  if (owners.length < check.minMembers) {
    const idleNote =
      idle > 0
        ? ` ${plural(idle, "other consumer")} of the group ${idle === 1 ? "reads" : "read"} no partition of ${topic} (subscribed to another topic, or more consumers than partitions).`
        : "";
    findings.push({
      finding: "too-few-members",
      detail: `Consumer group ${name} has ${plural(owners.length, "running consumer")} reading topic ${topic}${owners.length > 0 ? ` (${who})` : ""}; this step asks for at least ${check.minMembers} that share its partitions. Start another consumer with the same --group and leave both running.${idleNote}`,
    });
  }
  const ownerOf = new Map<number, GroupMember[]>();
  for (const member of owners) for (const p of member.partitions ?? []) ownerOf.set(p, [...(ownerOf.get(p) ?? []), member]);
  const twice = [...ownerOf.entries()].filter(([, members]) => members.length > 1);
  if (twice.length > 0) {
    const [partition, members] = twice[0] ?? [0, []];
    findings.push({
      finding: "overlapping",
      detail: `Partition ${partition} of topic ${topic} is assigned to ${members.length} consumers of group ${name} at once (${members.map(memberName).join(", ")}); in a group each partition has exactly one consumer.`,
    });
  }
  const uncovered = Array.from({ length: partitionCount }, (_, p) => p).filter((p) => !ownerOf.has(p));
  if (uncovered.length > 0 && owners.length > 0) {
    findings.push({
      finding: "uncovered",
      detail: `${partitionList(uncovered).replace(/^p/, "P")} of topic ${topic} ${uncovered.length === 1 ? "is" : "are"} assigned to no consumer of group ${name}: every consumer must subscribe to the whole topic (--topic ${topic}), not to single partitions.`,
    });
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  return passed(
    `Consumer group ${name} has ${plural(owners.length, "running consumer")} sharing the ${plural(partitionCount, "partition")} of topic ${topic}: ${who}.`,
  );
}

/** The partitions of `topic` in a member's assignment (the consumer protocol's encoding), or null if unreadable. */
function assignedPartitions(assignment: Buffer, topic: string): number[] | null {
  if (assignment.length === 0) return [];
  try {
    return AssignerProtocol.MemberAssignment.decode(assignment)?.assignment[topic] ?? [];
  } catch {
    return null;
  }
}

export async function checkKafkaGroupMembers(check: KafkaGroupMembersCheck, session: GradingSession): Promise<CheckVerdict> {
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const partitionCount = (await kafka.partitionRanges(check.topic)).length;
  const groups = await kafka.withAdmin(async (admin) =>
    (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => !g.startsWith(graderGroupPrefix))
      .sort(),
  );
  let live: LiveGroup | undefined;
  if (groups.includes(check.group)) {
    const described = await kafka.withAdmin((admin) => admin.describeGroups([check.group]));
    const group = described.groups.find((g) => g.groupId === check.group);
    if (group) {
      live = {
        state: group.state,
        members: group.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          host: m.clientHost,
          partitions: assignedPartitions(m.memberAssignment, check.topic),
        })),
      };
    }
  }
  return evaluateGroupMembers(check, live, partitionCount, groups);
}
