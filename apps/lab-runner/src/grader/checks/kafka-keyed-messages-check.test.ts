import type { KafkaKeyedMessagesCheck, VehiclePosition } from "@cookbook/content/labs";
import { formatDegrees } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import type { TopicMessage } from "../kafka-connection";
import { evaluateKeyedMessages, parsePosition } from "./kafka-keyed-messages-check";

const allInOrder: KafkaKeyedMessagesCheck = { kind: "kafka-keyed-messages", topic: "vehicle-positions", expect: "all-in-order" };
const latest: KafkaKeyedMessagesCheck = { kind: "kafka-keyed-messages", topic: "vehicle-latest", expect: "latest-per-key" };

const at = (timestamp: string, vehicle: string, latE5: number, lonE5: number): VehiclePosition => ({ timestamp, vehicle, latE5, lonE5 });
/** Two vans, interleaved in time as the file has them. */
const positions = [
  at("2016-05-14 08:00:01", "van-1", 5_250_000, 1_340_000),
  at("2016-05-14 08:00:05", "van-2", 5_240_000, 1_330_000),
  at("2016-05-14 08:01:02", "van-1", 5_250_100, 1_340_200),
  at("2016-05-14 08:01:07", "van-2", 5_240_300, 1_329_900),
  at("2016-05-14 08:02:03", "van-1", 5_250_250, 1_340_100),
];
const csv = (p: VehiclePosition) => `${p.timestamp},${p.vehicle},${formatDegrees(p.latE5)},${formatDegrees(p.lonE5)}`;
const partitionOf: Record<string, number> = { "van-1": 0, "van-2": 3 };

/** Messages as a keyed producer writes them: each van to its partition, offsets counting per partition. */
function produce(
  list: readonly VehiclePosition[],
  options: {
    key?: (p: VehiclePosition) => string | null;
    partition?: (p: VehiclePosition, i: number) => number;
    value?: (p: VehiclePosition) => string;
  } = {},
): TopicMessage[] {
  const next = new Map<number, number>();
  return list.map((p, i) => {
    const partition = options.partition?.(p, i) ?? partitionOf[p.vehicle] ?? 0;
    const offset = next.get(partition) ?? 0;
    next.set(partition, offset + 1);
    const key = options.key ? options.key(p) : p.vehicle;
    return { partition, offset: String(offset), key: key === null ? null : Buffer.from(key), value: Buffer.from((options.value ?? csv)(p)) };
  });
}

describe("parsePosition", () => {
  it("reads the CSV line, the line without the vehicle, and JSON", () => {
    const expected = { timestamp: "2016-05-14 08:00:01", latE5: 5_250_000, lonE5: 1_340_000 };
    expect(parsePosition("2016-05-14 08:00:01,van-1,52.50000,13.40000")).toEqual({ ...expected, vehicle: "van-1" });
    expect(parsePosition("2016-05-14 08:00:01,52.5,13.4")).toEqual(expected);
    expect(parsePosition('{"timestamp":"2016-05-14 08:00:01","lat":52.5,"lon":"13.40000"}')).toEqual(expected);
    expect(parsePosition("hello")).toBeNull();
    expect(parsePosition("van-1,2016-05-14 08:00:01,52.5,13.4")).toBeNull();
    expect(parsePosition('{"timestamp":"2016-05-14 08:00:01"}')).toBeNull();
  });
});

describe("evaluateKeyedMessages, all-in-order", () => {
  it("passes every position keyed by its van, one partition each, in time order, and shows the layout", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions), positions);
    expect(verdict).toEqual({
      passed: true,
      finding: "passed",
      detail:
        "Topic vehicle-positions holds all 5 positions keyed by their vehicle, each vehicle's on one partition in time order (partition 0: van-1; partition 3: van-2).",
    });
  });

  it("accepts JSON values and tolerates stray messages and a second copy of the file", () => {
    const json = (p: VehiclePosition) => JSON.stringify({ timestamp: p.timestamp, lat: p.latE5 / 1e5, lon: p.lonE5 / 1e5 });
    const twice = produce([...positions, ...positions], { value: json });
    const stray: TopicMessage = { partition: 0, offset: "99", key: Buffer.from("van-1"), value: Buffer.from("hello") };
    const verdict = evaluateKeyedMessages(allInOrder, [...twice, stray], positions);
    expect(verdict.passed).toBe(true);
    expect(verdict.detail).toContain(
      '1 message in the topic is not a position of your dataset and does not count, e.g. partition 0, offset 99: "hello".',
    );
  });

  it("names messages without a key and where one van's positions went", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions, { key: () => null, partition: (_, i) => i % 4 }), positions);
    expect(verdict).toMatchObject({ passed: false, finding: "unkeyed" });
    expect(verdict.detail).toBe(
      "5 of the 5 messages in topic vehicle-positions have no key, so Kafka spread each vehicle's positions over the partitions (van-1's are on partitions 0 and 2). Produce them with the vehicle id as the key: --reader-property parse.key=true --reader-property key.separator=<a character>, with the vehicle id before the separator.",
    );
  });

  it("says so when unkeyed messages happen to share a partition", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions, { key: () => null, partition: () => 1 }), positions);
    expect(verdict.finding).toBe("unkeyed");
    expect(verdict.detail).toContain("nothing ties a vehicle's positions to one partition");
  });

  it("names a key that is not the vehicle", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions, { key: (p) => p.timestamp }), positions);
    expect(verdict.finding).toBe("wrong-key");
    expect(verdict.detail).toContain('is keyed "2016-05-14 08:00:01" but is a position of van-1. The key must be the vehicle id');
  });

  it("names a van whose keyed messages are on several partitions", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions, { partition: (p, i) => (p.vehicle === "van-1" ? i % 3 : 3) }), positions);
    expect(verdict.finding).toBe("key-on-several-partitions");
    expect(verdict.detail).toMatch(/^van-1's messages are on partitions 0, 1 and 2 although they carry the same key/);
  });

  it("lists what is missing", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce(positions.slice(0, 3)), positions);
    expect(verdict).toMatchObject({ passed: false, finding: "missing-positions" });
    expect(verdict.detail).toContain(
      "holds 3 of your 5 positions keyed by their vehicle; missing, for example: van-2 at 2016-05-14 08:01:07 (52.40300, 13.29900)",
    );
  });

  it("finds a van's track out of time order on its partition", () => {
    const verdict = evaluateKeyedMessages(allInOrder, produce([...positions].reverse()), positions);
    expect(verdict).toMatchObject({ passed: false, finding: "out-of-order" });
    expect(verdict.detail).toContain(
      "van-1's positions on partition 0 are out of time order: 2016-05-14 08:01:02 (offset 1) comes after 2016-05-14 08:02:03 (offset 0).",
    );
  });
});

describe("evaluateKeyedMessages, latest-per-key", () => {
  it("passes when each van's last message is its latest position, compacted or not", () => {
    expect(evaluateKeyedMessages(latest, produce(positions), positions)).toEqual({
      passed: true,
      finding: "passed",
      detail: "The last message of each of your 2 vehicles in topic vehicle-latest is its latest position (5 messages in the topic).",
    });
    const compacted = produce(positions).filter((m) => ["0:2", "3:1"].includes(`${m.partition}:${m.offset}`));
    expect(evaluateKeyedMessages(latest, compacted, positions).detail).toContain(
      "(2 messages in the topic; the log cleaner has already compacted older positions away)",
    );
  });

  it("names the van whose last message is not its latest position", () => {
    const verdict = evaluateKeyedMessages(latest, produce([...positions].reverse()), positions);
    expect(verdict).toMatchObject({ passed: false, finding: "not-latest" });
    expect(verdict.detail).toBe(
      "The last message keyed van-1 in topic vehicle-latest (partition 0, offset 2) is the position at 2016-05-14 08:00:01 (52.50000, 13.40000), but van-1's latest position in your dataset is at 2016-05-14 08:02:03 (52.50250, 13.40100). Compaction keeps the LAST message of every key, so produce each vehicle's positions oldest first, as the file has them.",
    );
  });

  it("names vans no message is keyed by, and a last message that is no position", () => {
    const onlyVan1 = produce(positions.filter((p) => p.vehicle === "van-1"));
    expect(evaluateKeyedMessages(latest, onlyVan1, positions)).toMatchObject({
      finding: "missing-vehicles",
      detail: expect.stringContaining("is keyed van-2"),
    });
    const junk: TopicMessage = { partition: 0, offset: "3", key: Buffer.from("van-1"), value: Buffer.from("test") };
    const verdict = evaluateKeyedMessages(latest, [...produce(positions), junk], positions);
    expect(verdict.detail).toContain('is "test", which is no position');
  });
});
