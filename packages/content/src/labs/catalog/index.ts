import type { Lab } from "../lab-model";
import { hdfsBlocksAndReplicationLab } from "./hdfs-blocks-and-replication";
import { kafkaDeliverySemanticsLab } from "./kafka-delivery-semantics";
import { kafkaPartitionsKeysGroupsLab } from "./kafka-partitions-keys-groups";
import { kafkaSensorReadingsLab } from "./kafka-sensor-readings";
import { sparkDailyAveragesLab } from "./spark-daily-averages";
import { sparkDataFramesAndSqlLab } from "./spark-dataframes-and-sql";

/** Every lab, in the order of the lessons they belong to. `pnpm content:validate` checks them all. */
export const labs: readonly Lab[] = [
  kafkaDeliverySemanticsLab,
  hdfsBlocksAndReplicationLab,
  sparkDailyAveragesLab,
  sparkDataFramesAndSqlLab,
  kafkaPartitionsKeysGroupsLab,
  kafkaSensorReadingsLab,
];
