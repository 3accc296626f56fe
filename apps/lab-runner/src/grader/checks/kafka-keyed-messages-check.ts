import { formatDegrees, latestPositions, type KafkaKeyedMessagesCheck, type VehiclePosition } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import type { TopicMessage } from "../kafka-connection";
import { missingTopicVerdict } from "./kafka-topic-check";
import { failed, failedWith, passed, plural, quote, type CheckVerdict, type Finding } from "./verdict";

/** What a message's value says, in any of the forms the lab accepts. */
interface ParsedPosition {
  timestamp: string;
  vehicle?: string;
  latE5: number;
  lonE5: number;
}

const timestampPattern = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

function degreesE5(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? Math.round(number * 100_000) : undefined;
}

/**
 * A value as the learner may have produced it: the CSV line (timestamp,vehicle,lat,lon), the line
 * without the vehicle (timestamp,lat,lon: the key already says it), or a JSON object with
 * timestamp, lat and lon (and optionally vehicle). Null when it is none of those.
 */
export function parsePosition(text: string): ParsedPosition | null {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch {
      return null;
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) return null;
    const { timestamp, vehicle, lat, lon } = record as Record<string, unknown>;
    const latE5 = degreesE5(lat);
    const lonE5 = degreesE5(lon);
    if (typeof timestamp !== "string" || latE5 === undefined || lonE5 === undefined) return null;
    return { timestamp, latE5, lonE5, ...(typeof vehicle === "string" ? { vehicle } : {}) };
  }
  const fields = trimmed.split(",").map((field) => field.trim());
  const [timestamp, ...rest] = fields;
  if (timestamp === undefined || !timestampPattern.test(timestamp) || (rest.length !== 2 && rest.length !== 3)) return null;
  const vehicle = rest.length === 3 ? rest[0] : undefined;
  const latE5 = degreesE5(rest.at(-2));
  const lonE5 = degreesE5(rest.at(-1));
  if (latE5 === undefined || lonE5 === undefined) return null;
  return { timestamp, latE5, lonE5, ...(vehicle !== undefined ? { vehicle } : {}) };
}

const placeKey = (p: { timestamp: string; latE5: number; lonE5: number }) => `${p.timestamp}|${p.latE5}|${p.lonE5}`;
const describePosition = (p: VehiclePosition) => `${p.timestamp} (${formatDegrees(p.latE5)}, ${formatDegrees(p.lonE5)})`;

/** "partition 2", "partitions 0 and 2", "partitions 0, 1 and 3". */
function partitionList(partitions: Iterable<number>): string {
  const sorted = [...new Set(partitions)].sort((a, b) => a - b);
  if (sorted.length === 1) return `partition ${sorted[0]}`;
  return `partitions ${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)}`;
}

const keyHow = "--reader-property parse.key=true --reader-property key.separator=<a character>, with the vehicle id before the separator";

interface Placed {
  message: TopicMessage;
  position: VehiclePosition;
}

/**
 * Sorts the topic's messages out by what they are: positions of the learner's dataset keyed by
 * their vehicle (per vehicle, in partition and offset order), positions with no key or another
 * key, and messages that are no position of the dataset at all.
 */
function classify(messages: readonly TopicMessage[], positions: readonly VehiclePosition[]) {
  const byPlace = new Map(positions.map((p) => [placeKey(p), p]));
  const vehicles = new Set(positions.map((p) => p.vehicle));
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  const keyed = new Map<string, Placed[]>();
  /** Every dataset position's partitions, whatever its key: shows where unkeyed messages went. */
  const spread = new Map<string, Set<number>>();
  /** The messages keyed by each of the dataset's vehicles, whatever their value, in order. */
  const byKey = new Map<string, TopicMessage[]>();
  const unkeyed: Placed[] = [];
  const wrongKey: (Placed & { key: string })[] = [];
  const strangers: TopicMessage[] = [];
  for (const message of ordered) {
    const key = message.key == null ? null : message.key.toString("utf8");
    if (key !== null && vehicles.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), message]);
    const parsed = message.value === null ? null : parsePosition(message.value.toString("utf8"));
    const position = parsed ? byPlace.get(placeKey(parsed)) : undefined;
    if (!position) {
      strangers.push(message);
      continue;
    }
    spread.set(position.vehicle, (spread.get(position.vehicle) ?? new Set()).add(message.partition));
    if (key === null) unkeyed.push({ message, position });
    else if (key !== position.vehicle) wrongKey.push({ message, position, key });
    else keyed.set(key, [...(keyed.get(key) ?? []), { message, position }]);
  }
  return { keyed, spread, byKey, unkeyed, wrongKey, strangers, vehicles: [...vehicles].sort(byVehicle) };
}

/** van-2 before van-10. */
const byVehicle = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

type Classified = ReturnType<typeof classify>;

/** The findings about keys every mode shares: messages without a key, keyed by something else, one key on several partitions. */
function keyFindings(check: KafkaKeyedMessagesCheck, c: Classified, total: number): Finding[] {
  const findings: Finding[] = [];
  if (c.unkeyed.length > 0) {
    const example = c.vehicles.find((v) => (c.spread.get(v)?.size ?? 0) > 1);
    const where = example
      ? `, so Kafka spread each vehicle's positions over the partitions (${example}'s are on ${partitionList(c.spread.get(example) ?? [])})`
      : ", so nothing ties a vehicle's positions to one partition (these ones landed where the producer's batches went)";
    findings.push({
      finding: "unkeyed",
      detail: `${c.unkeyed.length} of the ${plural(total, "message")} in topic ${check.topic} have no key${where}. Produce them with the vehicle id as the key: ${keyHow}.`,
    });
  }
  const [wrong] = c.wrongKey;
  if (wrong) {
    findings.push({
      finding: "wrong-key",
      detail: `${plural(c.wrongKey.length, "position")} in topic ${check.topic} ${c.wrongKey.length === 1 ? "is" : "are"} keyed by something other than their vehicle: the message at partition ${wrong.message.partition}, offset ${wrong.message.offset} is keyed ${quote(wrong.key, 40)} but is a position of ${wrong.position.vehicle}. The key must be the vehicle id (the second column of the CSV).`,
    });
  }
  const split = c.vehicles.filter((v) => new Set((c.keyed.get(v) ?? []).map((p) => p.message.partition)).size > 1);
  if (split.length > 0) {
    const [first] = split;
    const partitions = partitionList((c.keyed.get(first ?? "") ?? []).map((p) => p.message.partition));
    const others = split.length > 1 ? ` (and ${plural(split.length - 1, "other vehicle")})` : "";
    findings.push({
      finding: "key-on-several-partitions",
      detail: `${first}'s messages are on ${partitions}${others} although they carry the same key: Kafka sends a key to one partition only while the topic's partition count stays the same and nobody picks partitions by hand. Delete the topic, create it with its 4 partitions, and produce again with the vehicle id as the key.`,
    });
  }
  return findings;
}

function strangerNote(c: Classified): string {
  const [first] = c.strangers;
  if (!first) return "";
  const text = first.value === null ? "(no value)" : quote(first.value.toString("utf8"));
  return ` ${plural(c.strangers.length, "message")} in the topic ${c.strangers.length === 1 ? "is" : "are"} not a position of your dataset and ${c.strangers.length === 1 ? "does" : "do"} not count, e.g. partition ${first.partition}, offset ${first.offset}: ${text}.`;
}

function evaluateAllInOrder(check: KafkaKeyedMessagesCheck, c: Classified, positions: readonly VehiclePosition[], total: number): CheckVerdict {
  const findings = keyFindings(check, c, total);
  const found = new Set([...c.keyed.values()].flatMap((placed) => placed.map((p) => placeKey(p.position))));
  const missing = positions.filter((p) => !found.has(placeKey(p)));
  if (missing.length > 0 && (found.size > 0 || findings.length === 0)) {
    const [example] = missing;
    findings.push({
      finding: "missing-positions",
      detail: `Topic ${check.topic} holds ${found.size} of your ${positions.length} positions keyed by their vehicle; missing, for example: ${example?.vehicle} at ${example ? describePosition(example) : ""}. Produce every line of the file (without its header).`,
    });
  }
  for (const vehicle of c.vehicles) {
    const seen = new Set<string>();
    let previous: Placed | undefined;
    for (const placed of c.keyed.get(vehicle) ?? []) {
      const place = placeKey(placed.position);
      if (seen.has(place)) continue; // Producing the file twice repeats it; the first copies say the order.
      seen.add(place);
      if (previous && previous.message.partition === placed.message.partition && placed.position.timestamp < previous.position.timestamp) {
        findings.push({
          finding: "out-of-order",
          detail: `${vehicle}'s positions on partition ${placed.message.partition} are out of time order: ${placed.position.timestamp} (offset ${placed.message.offset}) comes after ${previous.position.timestamp} (offset ${previous.message.offset}). A partition keeps the order messages were produced in, so produce each vehicle's positions oldest first, as the file has them.`,
        });
        break;
      }
      previous = placed;
    }
    if (findings.some((f) => f.finding === "out-of-order")) break;
  }
  const failure = failedWith(findings);
  if (failure) return { ...failure, detail: failure.detail + strangerNote(c) };
  const byPartition = new Map<number, string[]>();
  for (const vehicle of c.vehicles) {
    const partition = c.keyed.get(vehicle)?.[0]?.message.partition;
    if (partition !== undefined) byPartition.set(partition, [...(byPartition.get(partition) ?? []), vehicle]);
  }
  const layout = [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, vehicles]) => `partition ${partition}: ${vehicles.join(", ")}`)
    .join("; ");
  return passed(
    `Topic ${check.topic} holds all ${positions.length} positions keyed by their vehicle, each vehicle's on one partition in time order (${layout}).${strangerNote(c)}`,
  );
}

function evaluateLatestPerKey(check: KafkaKeyedMessagesCheck, c: Classified, positions: readonly VehiclePosition[], total: number): CheckVerdict {
  const findings = keyFindings(check, c, total);
  const latest = latestPositions(positions);
  const absent = c.vehicles.filter((v) => !c.byKey.has(v));
  if (absent.length > 0 && (absent.length < c.vehicles.length || findings.length === 0)) {
    findings.push({
      finding: "missing-vehicles",
      detail: `No message in topic ${check.topic} is keyed ${absent.join(", ")}: produce every vehicle's positions, keyed by the vehicle id.`,
    });
  }
  for (const vehicle of c.vehicles) {
    const keyed = c.byKey.get(vehicle) ?? [];
    const last = keyed.at(-1);
    const wanted = latest.get(vehicle);
    if (!last || !wanted || new Set(keyed.map((m) => m.partition)).size > 1) continue;
    const text = last.value?.toString("utf8");
    const parsed = text === undefined ? null : parsePosition(text);
    if (parsed && placeKey(parsed) === placeKey(wanted)) continue;
    const what =
      text === undefined
        ? "a tombstone (no value), which deletes the key"
        : parsed
          ? `the position at ${parsed.timestamp} (${formatDegrees(parsed.latE5)}, ${formatDegrees(parsed.lonE5)})`
          : `${quote(text)}, which is no position`;
    findings.push({
      finding: "not-latest",
      detail: `The last message keyed ${vehicle} in topic ${check.topic} (partition ${last.partition}, offset ${last.offset}) is ${what}, but ${vehicle}'s latest position in your dataset is at ${describePosition(wanted)}. Compaction keeps the LAST message of every key, so produce each vehicle's positions oldest first, as the file has them.`,
    });
    break;
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  const compacted = total < positions.length ? "; the log cleaner has already compacted older positions away" : "";
  return passed(
    `The last message of each of your ${plural(c.vehicles.length, "vehicle")} in topic ${check.topic} is its latest position (${plural(total, "message")} in the topic${compacted}).`,
  );
}

/** Judges the topic's messages against the learner's vehicle positions, as the check's `expect` asks. */
export function evaluateKeyedMessages(
  check: KafkaKeyedMessagesCheck,
  messages: readonly TopicMessage[],
  positions: readonly VehiclePosition[],
): CheckVerdict {
  const classified = classify(messages, positions);
  return check.expect === "all-in-order"
    ? evaluateAllInOrder(check, classified, positions, messages.length)
    : evaluateLatestPerKey(check, classified, positions, messages.length);
}

export async function checkKafkaKeyedMessages(check: KafkaKeyedMessagesCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const positions = session.learnerDataset().positions;
  if (!positions) throw new CheckFailure("no-dataset", `Lab ${session.lab.slug} has no vehicle positions to compare with.`);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) return missingTopicVerdict(kafka, check.topic);
  const ranges = await kafka.partitionRanges(check.topic);
  if (ranges.every((r) => r.high <= r.low)) {
    return failed("no-messages", `Topic ${check.topic} has no messages yet: produce your ${positions.length} positions to it, keyed by vehicle.`);
  }
  return evaluateKeyedMessages(check, await kafka.readMessages(check.topic, ranges, signal), positions);
}
