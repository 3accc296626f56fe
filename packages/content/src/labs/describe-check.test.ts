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
    expect(
      describeCheck({ kind: "spark-output", path: "/out", input: "/in", format: "json", expected: "latest-hour-by-sensor", tolerance: 0.01 }),
    ).toBe(
      "HDFS directory /out holds the latest-hour-by-sensor of every sensor of your pipeline as JSON (within ±0.01), written by a Spark job that read /in",
    );
    expect(
      describeCheck({ kind: "mapreduce-output", path: "/out", input: "/in", expected: "minute-averages", tolerance: 0.01, minReduceTasks: 3 }),
    ).toBe(
      "HDFS directory /out holds the minute-averages of your dataset as key<TAB>value lines (within ±0.01), written by at least 3 reduce tasks and committed (_SUCCESS) by a MapReduce job that read /in",
    );
    expect(describeCheck({ kind: "kafka-view", topic: "v2", from: "sales", view: "revenue-per-shop" })).toBe(
      "The latest message of every shop in topic v2 is its revenue over all sales of topic sales, with every amount converted to euros",
    );
    expect(describeCheck({ kind: "speed-view", file: "speed-view.json", topic: "payments" })).toBe(
      "speed-view.json in your home directory holds every card's total of the payments in topic payments since the batch cut-off",
    );
    expect(describeCheck({ kind: "serving-query", argv: ["python3", "serve.py"], topic: "payments", withinSeconds: 45 })).toBe(
      "`python3 serve.py` prints every card's batch view total plus its speed view total, including payments the grader publishes to topic payments, within 45 s",
    );
    expect(
      describeCheck({ kind: "kafka-top-n-windows", topic: "trending-now", from: "viewing-events", top: 3, windowSeconds: 60, maxDelaySeconds: 30 }),
    ).toBe(
      "Topic trending-now holds, for every one-minute window of topic viewing-events, its 3 most viewed titles with their views, most viewed first",
    );
    expect(
      describeCheck({
        kind: "kafka-live-top-n",
        topic: "trending-now",
        input: "viewing-events",
        top: 3,
        windowSeconds: 300,
        maxDelaySeconds: 30,
        withinSeconds: 60,
      }),
    ).toBe(
      "A burst of views the grader publishes to topic viewing-events tops its 5-minute window in topic trending-now within 60 s, above the window's next titles with their views",
    );
    const averages = { topic: "sensor-averages", windowSeconds: 60, maxDelaySeconds: 120, tolerance: 0.01 };
    expect(describeCheck({ kind: "kafka-window-averages", ...averages })).toBe(
      "Topic sensor-averages holds the average of your readings in every one-minute event-time window of your dataset (within ±0.01), as JSON with its window's start, sensor and average",
    );
    expect(describeCheck({ kind: "kafka-live-window-averages", ...averages, input: "sensor-readings", withinSeconds: 90 })).toBe(
      "Readings the grader publishes to topic sensor-readings while it checks show up in topic sensor-averages as their one-minute window's average within 90 s: your job keeps running",
    );
    expect(describeCheck({ kind: "command", argv: ["hdfs", "dfs", "-ls"], stdoutIncludes: "x" })).toBe('`hdfs dfs -ls` exits with 0 and prints "x"');
  });

  it("has a description for every check of the shipped labs", () => {
    for (const check of labs.flatMap((lab) => lab.steps.flatMap((step) => step.checks))) expect(describeCheck(check).length).toBeGreaterThan(20);
  });
});
