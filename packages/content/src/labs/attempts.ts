import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Lab } from "./lab-model";

/**
 * The reference solution and the known-wrong attempts of every lab (scripts in
 * packages/content/labs/<slug>/), and what grading each must produce. Node only: it reads files.
 */

export interface WrongAttempt {
  /** File name in packages/content/labs/<slug>/. */
  script: string;
  /** Exactly these steps fail (all others pass), each with feedback containing the given text. */
  failingSteps: Record<string, string>;
}

export interface LabAttempts {
  solution: string;
  /** Honest solutions with other tools (a Python client instead of the CLI, say): each must earn full marks too. */
  alternatives: string[];
  wrong: WrongAttempt[];
}

export const labAttempts: Record<string, LabAttempts> = {
  "kafka-sensor-readings": {
    solution: "solution.sh",
    alternatives: ["solution-python-client.sh"],
    wrong: [
      { script: "wrong-one-partition.sh", failingSteps: { "create-topic": "has 1 partition; this step asks for 3" } },
      { script: "wrong-string-values.sh", failingSteps: { "produce-readings": 'field "value" is a string' } },
      { script: "wrong-csv-lines.sh", failingSteps: { "produce-readings": "is not JSON" } },
      { script: "wrong-no-group.sh", failingSteps: { "consume-with-group": "has not committed any offset" } },
      {
        script: "wrong-group-not-from-beginning.sh",
        failingSteps: { "consume-with-group": "holds none of the 48 messages of topic hall-b-readings" },
      },
      { script: "wrong-commit-without-reading.sh", failingSteps: { "consume-with-group": "holds none of the 48 messages of topic hall-b-readings" } },
      {
        script: "wrong-consume-empty-topic.sh",
        failingSteps: { "produce-readings": "has no messages yet", "consume-with-group": "this step asks for at least 96" },
      },
    ],
  },
  "hdfs-blocks-and-replication": {
    solution: "solution.sh",
    alternatives: ["solution-webhdfs-curl.sh"],
    wrong: [
      { script: "wrong-default-block-size.sh", failingSteps: { "small-blocks": "block size of 128 MiB; this step asks for 1 MiB" } },
      { script: "wrong-setrep-then-reput.sh", failingSteps: { "set-replication": "replication factor 1; this step asks for 2" } },
      {
        script: "wrong-truncated-file.sh",
        failingSteps: { "put-file": "differs from your dataset", "small-blocks": "has 1 block; this step asks for at least 4" },
      },
    ],
  },
  "kafka-partitions-keys-groups": {
    solution: "solution.sh",
    alternatives: ["solution-python-client.sh"],
    wrong: [
      { script: "wrong-no-keys.sh", failingSteps: { "keyed-positions": "have no key" } },
      {
        script: "wrong-newest-first.sh",
        failingSteps: { "keyed-positions": "are out of time order", "latest-per-vehicle": "Compaction keeps the LAST message of every key" },
      },
      { script: "wrong-one-consumer.sh", failingSteps: { "share-partitions": "has 1 running consumer reading topic vehicle-positions" } },
      { script: "wrong-consumers-stopped.sh", failingSteps: { "share-partitions": "no consumer of it is running (state Empty)" } },
      {
        script: "wrong-not-compacted.sh",
        failingSteps: { "latest-per-vehicle": "has cleanup.policy=delete; this step asks for cleanup.policy=compact" },
      },
    ],
  },
  "kafka-delivery-semantics": {
    solution: "solution.sh",
    alternatives: ["solution-cli-tools.sh"],
    wrong: [
      { script: "wrong-append-duplicates.sh", failingSteps: { "at-least-once": "The topic itself holds these records twice" } },
      {
        script: "wrong-commit-after-processing.sh",
        failingSteps: { "at-most-once": "None of the records after the poison record on partition 0" },
      },
      { script: "wrong-auto-commit.sh", failingSteps: { "at-most-once": "They were processed again after a restart" } },
      { script: "wrong-read-uncommitted.sh", failingSteps: { "exactly-once": "of transactions that were aborted leaked into topic ledger" } },
      { script: "wrong-not-transactional.sh", failingSteps: { "exactly-once": "were not written in a transaction" } },
    ],
  },
  "kafka-kappa-replay": {
    solution: "solution.sh",
    alternatives: ["solution-cli-reset-offsets.sh"],
    wrong: [
      { script: "wrong-same-group-not-reset.sh", failingSteps: { "replay-fixed": "did not read topic sales from its first offset" } },
      { script: "wrong-new-group-from-latest.sh", failingSteps: { "replay-fixed": "holds no rows of the view yet" } },
      { script: "wrong-bug-kept.sh", failingSteps: { "replay-fixed": "with every amount added as it is, whatever its currency" } },
      { script: "wrong-old-state-kept.sh", failingSteps: { "replay-fixed": "counts every sale twice" } },
      {
        script: "wrong-rebuilt-in-place.sh",
        failingSteps: {
          "build-view": "holds each shop's revenue with every amount converted to euros",
          "replay-fixed": "Topic shop-revenue-v2 does not exist yet",
        },
      },
    ],
  },
  "kafka-trending-now": {
    solution: "solution.sh",
    alternatives: ["solution-spark-streaming.sh"],
    wrong: [
      { script: "wrong-batch-once.sh", failingSteps: { "keeps-trending": "Is your streaming job still running?" } },
      { script: "wrong-all-time.sh", failingSteps: { "trending-per-minute": "over all time", "keeps-trending": "The burst is not first" } },
      { script: "wrong-sorted-by-title.sh", failingSteps: { "trending-per-minute": "most viewed first", "keeps-trending": "most viewed first" } },
      { script: "wrong-processing-time.sh", failingSteps: { "trending-per-minute": "(event time)", "keeps-trending": "(event time)" } },
      { script: "wrong-from-latest.sh", failingSteps: { "trending-per-minute": "from its first offset" } },
    ],
  },
  "mapreduce-daily-averages": {
    solution: "solution.sh",
    alternatives: ["solution-awk-v1-committer.sh"],
    wrong: [
      {
        script: "wrong-awk-and-marker.sh",
        failingSteps: {
          "daily-averages": "not by a MapReduce task in its attempt's directory",
          "minute-averages-in-parallel": "not by a MapReduce task in its attempt's directory",
        },
      },
      { script: "wrong-hour-key.sh", failingSteps: { "daily-averages": 'Not a day of your readings: "' } },
      { script: "wrong-one-reducer.sh", failingSteps: { "minute-averages-in-parallel": "was written by 1 reduce task of job_local" } },
      { script: "wrong-log-of-failed-run.sh", failingSteps: { "daily-averages": "holds no finished job; it says" } },
      {
        script: "wrong-map-only.sh",
        failingSteps: { "daily-averages": "the job had no reduce phase", "minute-averages-in-parallel": "the job had no reduce phase" },
      },
      {
        script: "wrong-upload-elsewhere.sh",
        failingSteps: {
          "upload-readings": "does not exist",
          "daily-averages": "never read /data/iot/sensor-readings.csv",
          "minute-averages-in-parallel": "never read /data/iot/sensor-readings.csv",
        },
      },
      {
        script: "wrong-moved-into-place.sh",
        failingSteps: {
          "daily-averages": "by another client than the job (hdfs dfs -mv looks like that)",
          "minute-averages-in-parallel": "by another client than the job (hdfs dfs -mv looks like that)",
        },
      },
    ],
  },
  "spark-daily-averages": {
    solution: "solution.sh",
    alternatives: ["solution-spark-sql.sh"],
    wrong: [
      { script: "wrong-sums.sh", failingSteps: { "daily-averages": "the average of your readings that day is" } },
      { script: "wrong-hour-key.sh", failingSteps: { "minute-averages": "expected 4320 rows" } },
      {
        script: "wrong-upload-elsewhere.sh",
        failingSteps: {
          "upload-readings": "does not exist",
          "daily-averages": "never read /data/iot/sensor-readings.csv",
          "minute-averages": "never read /data/iot/sensor-readings.csv",
        },
      },
      {
        script: "wrong-awk-and-marker.sh",
        failingSteps: { "daily-averages": "is not a Spark task", "minute-averages": "is not a Spark task" },
      },
      {
        script: "wrong-spark-writes-numbers-from-elsewhere.sh",
        failingSteps: { "daily-averages": "never read /data/iot/sensor-readings.csv", "minute-averages": "never read /data/iot/sensor-readings.csv" },
      },
    ],
  },
  "spark-streaming-windows": {
    solution: "solution.sh",
    alternatives: ["solution-python-client.sh"],
    wrong: [
      { script: "wrong-batch-job.sh", failingSteps: { "keeps-running": "is your streaming job still running?" } },
      { script: "wrong-job-stopped.sh", failingSteps: { "keeps-running": "is your streaming job still running?" } },
      {
        script: "wrong-processing-time.sh",
        failingSteps: {
          "windowed-averages": "which hold none of your readings",
          "keeps-running": "window by each reading's own timestamp (event time)",
        },
      },
      {
        script: "wrong-no-window.sh",
        failingSteps: {
          "windowed-averages": "an average over all time is not one per one-minute window",
          "keeps-running": "an average over all time",
        },
      },
      { script: "wrong-from-latest.sh", failingSteps: { "windowed-averages": "average of sensor hall-a (your readings)" } },
      {
        script: "wrong-readings-without-sensor.sh",
        failingSteps: { "publish-readings": 'field "sensor" is missing', "windowed-averages": "average of sensor hall-a (your readings)" },
      },
    ],
  },
  "spark-dataframes-and-sql": {
    solution: "solution.sh",
    alternatives: ["solution-rdd-and-subquery.sh"],
    wrong: [
      {
        script: "wrong-not-partitioned.sh",
        failingSteps: { "dataframe-api": "/data/iot/hourly-df is not partitioned by day: no day=… directories" },
      },
      { script: "wrong-sql-as-csv.sh", failingSteps: { "spark-sql": ".csv holds CSV, this step asks for Parquet" } },
      {
        script: "wrong-sql-max-and-copied-df.sh",
        failingSteps: { "dataframe-api": "is not a Spark task", "spark-sql": "the average of your readings that hour is" },
      },
      {
        script: "wrong-upload-elsewhere.sh",
        failingSteps: {
          "upload-readings": "does not exist",
          "dataframe-api": "never read /data/iot/sensor-readings.csv",
          "spark-sql": "never read /data/iot/sensor-readings.csv",
        },
      },
    ],
  },
  "blueprint-pipeline": {
    solution: "solution.sh",
    alternatives: ["solution-python-and-sql.sh"],
    wrong: [
      { script: "wrong-no-sensor-field.sh", failingSteps: { ingest: 'field "sensor" is missing' } },
      {
        script: "wrong-spark-reads-csv.sh",
        failingSteps: {
          store: "no rows of sensor hall-b, whose readings exist only in Kafka topic hall-b-readings",
          analyse: "no rows of sensor hall-b, whose readings exist only in Kafka topic hall-b-readings",
          display: "no rows of sensor hall-b, whose readings exist only in Kafka topic hall-b-readings",
        },
      },
      {
        script: "wrong-skips-the-lake.sh",
        failingSteps: {
          store: "HDFS directory /data/lake/readings does not exist",
          analyse: "never read /data/lake/readings, which does not exist in HDFS",
        },
      },
      { script: "wrong-hourly-put-by-hand.sh", failingSteps: { analyse: "is not a Spark task" } },
      {
        script: "wrong-hourly-csv-dashboard-max.sh",
        failingSteps: {
          analyse: "holds CSV, this step asks for Parquet",
          display: "the average of that sensor's readings in its latest hour is",
        },
      },
    ],
  },
  "lambda-architecture": {
    solution: "solution.sh",
    alternatives: ["solution-spark-sql.sh"],
    wrong: [
      {
        script: "wrong-master-elsewhere.sh",
        failingSteps: { "master-dataset": "does not exist", "batch-view": "never read /data/payments/master/payments.csv" },
      },
      { script: "wrong-awk-batch-view.sh", failingSteps: { "batch-view": "is not a Spark task" } },
      {
        script: "wrong-double-count.sh",
        failingSteps: {
          "speed-view": "counts payments from before the cut-off too",
          "serving-query": "counts payments from before the cut-off too",
        },
      },
      { script: "wrong-serve-batch-only.sh", failingSteps: { "serving-query": "answers only the batch view" } },
      { script: "wrong-speed-layer-stopped.sh", failingSteps: { "serving-query": "Is your speed layer still running?" } },
    ],
  },
};

const labsDir = fileURLToPath(new URL("../../labs/", import.meta.url));

export function labScriptPath(slug: string, script: string): string {
  return `${labsDir}${slug}/${script}`;
}

export function readLabScript(slug: string, script: string): string {
  return readFileSync(labScriptPath(slug, script), "utf8");
}

/**
 * Labs without a solution and two wrong attempts, missing scripts, attempts naming steps a lab
 * lacks, and steps no wrong attempt fails: a check nothing has been seen to fail may pass
 * anything.
 */
export function attemptProblems(labs: readonly Lab[]): string[] {
  const problems: string[] = [];
  for (const lab of labs) {
    const attempts = labAttempts[lab.slug];
    if (!attempts) {
      problems.push(`lab ${lab.slug}: no reference solution and wrong attempts in src/labs/attempts.ts`);
      continue;
    }
    if (attempts.wrong.length < 2) problems.push(`lab ${lab.slug}: needs at least 2 known-wrong attempts, has ${attempts.wrong.length}`);
    for (const script of [attempts.solution, ...attempts.alternatives, ...attempts.wrong.map((w) => w.script)]) {
      if (!existsSync(labScriptPath(lab.slug, script))) problems.push(`lab ${lab.slug}: script labs/${lab.slug}/${script} does not exist`);
    }
    const stepIds = new Set(lab.steps.map((step) => step.id));
    for (const wrong of attempts.wrong) {
      const failing = Object.keys(wrong.failingSteps);
      if (failing.length === 0) problems.push(`lab ${lab.slug}: wrong attempt ${wrong.script} lists no failing step`);
      for (const stepId of failing) {
        if (!stepIds.has(stepId)) problems.push(`lab ${lab.slug}: wrong attempt ${wrong.script} names unknown step ${stepId}`);
      }
    }
    for (const stepId of stepIds) {
      if (!attempts.wrong.some((wrong) => stepId in wrong.failingSteps)) {
        problems.push(`lab ${lab.slug}: step ${stepId} is failed by no wrong attempt; add one that shows what the step refuses`);
      }
    }
  }
  for (const slug of Object.keys(labAttempts)) {
    if (!labs.some((lab) => lab.slug === slug)) problems.push(`src/labs/attempts.ts: attempts for unknown lab ${slug}`);
  }
  return problems;
}
