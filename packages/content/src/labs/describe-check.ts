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
      return `HDFS directory ${check.path} holds the ${check.expected} of your dataset as ${check.format === "parquet" ? "Parquet" : check.format.toUpperCase()}${partitioned} (within ±${check.tolerance})${source}`;
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
    case "command": {
      const parts = [`\`${check.argv.join(" ")}\` exits with ${check.expectExitCode ?? 0}`];
      if (check.stdoutIncludes !== undefined) parts.push(`and prints "${check.stdoutIncludes}"`);
      return parts.join(" ");
    }
  }
}
