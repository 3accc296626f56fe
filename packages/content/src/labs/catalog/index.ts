import type { Lab } from "../lab-model";
import { blueprintPipelineLab } from "./blueprint-pipeline";
import { hdfsBlocksAndReplicationLab } from "./hdfs-blocks-and-replication";
import { kafkaDeliverySemanticsLab } from "./kafka-delivery-semantics";
import { kafkaKappaReplayLab } from "./kafka-kappa-replay";
import { kafkaPartitionsKeysGroupsLab } from "./kafka-partitions-keys-groups";
import { kafkaSensorReadingsLab } from "./kafka-sensor-readings";
import { kafkaTrendingNowLab } from "./kafka-trending-now";
import { lambdaArchitectureLab } from "./lambda-architecture";
import { mapreduceDailyAveragesLab } from "./mapreduce-daily-averages";
import { sparkDailyAveragesLab } from "./spark-daily-averages";
import { sparkDataFramesAndSqlLab } from "./spark-dataframes-and-sql";
import { sparkStreamingWindowsLab } from "./spark-streaming-windows";

/** Every lab, in the order of the lessons they belong to. `pnpm content:validate` checks them all. */
export const labs: readonly Lab[] = [
  kafkaDeliverySemanticsLab,
  hdfsBlocksAndReplicationLab,
  // 20.1.2 shows MapReduce first; Spark (20.2) does the same example after it.
  mapreduceDailyAveragesLab,
  sparkDailyAveragesLab,
  sparkStreamingWindowsLab,
  sparkDataFramesAndSqlLab,
  kafkaPartitionsKeysGroupsLab,
  kafkaSensorReadingsLab,
  blueprintPipelineLab,
  lambdaArchitectureLab,
  kafkaKappaReplayLab,
  kafkaTrendingNowLab,
];
