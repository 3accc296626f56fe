import { describe, expect, it } from "vitest";
import { labs } from "./catalog";
import { describeCheck, formatBytes } from "./describe-check";

describe("formatBytes", () => {
  it("says sizes as people do", () => {
    expect(formatBytes(1_048_576)).toBe("1 MiB");
    expect(formatBytes(134_217_728)).toBe("128 MiB");
    expect(formatBytes(3_594_256)).toBe("3.4 MiB");
    expect(formatBytes(673_936)).toBe("658.1 KiB");
    expect(formatBytes(2048)).toBe("2 KiB");
    expect(formatBytes(1000)).toBe("1000 bytes");
  });
});

describe("describeCheck", () => {
  it("describes every check kind in one line", () => {
    expect(describeCheck({ kind: "kafka-topic", topic: "t", partitions: 1, configs: { "retention.ms": "1000" } })).toBe(
      "Kafka topic t exists with 1 partition and retention.ms=1000",
    );
    expect(describeCheck({ kind: "kafka-consumer-group", group: "g", topic: "t", minCommittedTotal: 5 })).toBe(
      "Consumer group g has committed offsets on topic t covering at least 5 messages",
    );
    expect(describeCheck({ kind: "hdfs-path", path: "/a", type: "file", blockSize: 1_048_576, minBlocks: 4, replication: 2 })).toBe(
      "HDFS file /a exists in 1 MiB blocks (at least 4 blocks) with replication factor 2",
    );
    expect(describeCheck({ kind: "spark-output", path: "/out", format: "json", expected: "daily-averages", tolerance: 0.01 })).toBe(
      "HDFS directory /out holds the daily-averages of your dataset as JSON (within ±0.01), written by a Spark job",
    );
    expect(
      describeCheck({ kind: "spark-output", path: "/out", format: "parquet", partitionedBy: "day", expected: "hourly-averages", tolerance: 0.01 }),
    ).toBe("HDFS directory /out holds the hourly-averages of your dataset as Parquet partitioned by day (within ±0.01), written by a Spark job");
    expect(describeCheck({ kind: "command", argv: ["hdfs", "dfs", "-ls"], stdoutIncludes: "x" })).toBe('`hdfs dfs -ls` exits with 0 and prints "x"');
  });

  it("has a description for every check of the shipped labs", () => {
    for (const check of labs.flatMap((lab) => lab.steps.flatMap((step) => step.checks))) expect(describeCheck(check).length).toBeGreaterThan(20);
  });
});
