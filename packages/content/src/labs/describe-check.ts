import { viewLogic } from "./kafka-views";
import { findComputation } from "./datasets/computations";
import type { Check } from "./lab-model";

const mib = 1024 * 1024;

/** Sizes as people say them: "1 MiB", "3.4 MiB", "658.1 KiB", "1000 bytes". */
export function formatBytes(bytes: number): string {
  const scaled = (unit: number, name: string) => `${bytes % unit === 0 ? bytes / unit : (bytes / unit).toFixed(1)} ${name}`;
  if (bytes >= mib) return scaled(mib, "MiB");
  if (bytes >= 1024) return scaled(1024, "KiB");
  return `${bytes} bytes`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "one-minute", "10-second", "5-minute": a tumbling window's length as an adjective. */
export const windowLength = (seconds: number) =>
  seconds === 60 ? "one-minute" : seconds % 60 === 0 ? `${seconds / 60}-minute` : `${seconds}-second`;

/** One line saying what a check looks for, shown next to its result (and before any attempt). */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case "kafka-topic": {
      const parts = [`Kafka topic ${check.topic} exists`];
      if (check.partitions !== undefined) parts.push(`with ${plural(check.partitions, "partition")}`);
      const configs = Object.entries(check.configs ?? {});
      if (configs.length > 0) parts.push(`and ${configs.map(([name, value]) => `${name}=${value}`).join(", ")}`);
      return parts.join(" ");
    }
    case "kafka-messages": {
      const fields = Object.entries(check.shape)
        .map(([field, type]) => `${field} (${type})`)
        .join(", ");
      const what = check.matchesDataset ? "distinct readings of your dataset" : "messages";
      return `Topic ${check.topic} holds at least ${check.minCount} ${what} as JSON with ${fields}`;
    }
    case "kafka-consumer-group": {
      const parts = [`Consumer group ${check.group} has committed offsets on topic ${check.topic}`];
      if (check.minCommittedTotal !== undefined) parts.push(`covering at least ${plural(check.minCommittedTotal, "message")}`);
      if (check.requireAllPartitions) parts.push("at the end of every partition");
      return parts.join(" ");
    }
    case "hdfs-path": {
      const parts = [`HDFS ${check.type ?? "path"} ${check.path} exists`];
      if (check.content === "dataset") parts.push("with exactly your dataset's content");
      if (check.minSize !== undefined) parts.push(`of at least ${formatBytes(check.minSize)}`);
      if (check.blockSize !== undefined) parts.push(`in ${formatBytes(check.blockSize)} blocks`);
      if (check.minBlocks !== undefined) parts.push(`(at least ${plural(check.minBlocks, "block")})`);
      if (check.replication !== undefined) parts.push(`with replication factor ${check.replication}`);
      return parts.join(" ");
    }
    case "spark-output": {
      const source = check.input ? `, written by a Spark job that read ${check.input}` : ", written by a Spark job";
      const partitioned = check.partitionedBy ? ` partitioned by ${check.partitionedBy}` : "";
      const of = findComputation(check.expected)?.sensorColumn ? "every sensor of your pipeline" : "your dataset";
      return `HDFS directory ${check.path} holds the ${check.expected} of ${of} as ${check.format === "parquet" ? "Parquet" : check.format.toUpperCase()}${partitioned} (within ±${check.tolerance})${source}`;
    }
    case "mapreduce-output": {
      const reducers = check.minReduceTasks ? ` by at least ${plural(check.minReduceTasks, "reduce task")}` : "";
      const log = check.jobLog ? `; ${check.jobLog} holds its console output, counters agreeing` : "";
      return `HDFS directory ${check.path} holds the ${check.expected} of your dataset as key<TAB>value lines (within ±${check.tolerance}), written${reducers} and committed (_SUCCESS) by a MapReduce job that read ${check.input}${log}`;
    }
    case "consumed-messages":
      return `${check.file} in your home directory lists every message of topic ${check.topic}, as your consumer read it`;
    case "kafka-keyed-messages":
      return check.expect === "all-in-order"
        ? `Topic ${check.topic} holds every position of your dataset keyed by its vehicle, each vehicle's on one partition in time order`
        : `The last message of every vehicle in topic ${check.topic} is that vehicle's latest position in your dataset`;
    case "kafka-group-members":
      return `Consumer group ${check.group} is running with at least ${plural(check.minMembers, "consumer")} that share all partitions of topic ${check.topic}`;
    case "delivered-records":
      return `${check.file} in your home directory holds each record of topic ${check.topic} exactly once, and no record that must not be processed`;
    case "kafka-delivered-records": {
      const how = check.transactional ? ", all written in transactions" : "";
      return `Topic ${check.topic}, read with isolation.level=read_committed, holds each committed record of topic ${check.from} exactly once and none of its aborted ones${how}`;
    }
    case "kafka-view":
      return `The latest message of every shop in topic ${check.topic} is its revenue over all sales of topic ${check.from}, with ${viewLogic(check.view)}`;
    case "kafka-top-n-windows":
      return `Topic ${check.topic} holds, for every ${windowLength(check.windowSeconds)} window of topic ${check.from}, its ${check.top} most viewed titles with their views, most viewed first`;
    case "kafka-live-top-n":
      return `A burst of views the grader publishes to topic ${check.input} tops its ${windowLength(check.windowSeconds)} window in topic ${check.topic} within ${check.withinSeconds} s, above the window's next titles with their views`;
    case "speed-view":
      return `${check.file} in your home directory holds every card's total of the payments in topic ${check.topic} since the batch cut-off`;
    case "serving-query":
      return `\`${check.argv.join(" ")}\` prints every card's batch view total plus its speed view total, including payments the grader publishes to topic ${check.topic}, within ${check.withinSeconds} s`;
    case "kafka-window-averages":
      return `Topic ${check.topic} holds the average of your readings in every ${windowLength(check.windowSeconds)} event-time window of your dataset (within ±${check.tolerance}), as JSON with its window's start, sensor and average`;
    case "kafka-live-window-averages":
      return `Readings the grader publishes to topic ${check.input} while it checks show up in topic ${check.topic} as their ${windowLength(check.windowSeconds)} window's average within ${check.withinSeconds} s: your job keeps running`;
    case "command": {
      const parts = [`\`${check.argv.join(" ")}\` exits with ${check.expectExitCode ?? 0}`];
      if (check.stdoutIncludes !== undefined) parts.push(`and prints "${check.stdoutIncludes}"`);
      return parts.join(" ");
    }
  }
}
