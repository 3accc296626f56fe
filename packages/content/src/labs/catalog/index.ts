import type { Lab } from "../lab-model";
import { hdfsBlocksAndReplicationLab } from "./hdfs-blocks-and-replication";
import { kafkaSensorReadingsLab } from "./kafka-sensor-readings";
import { sparkDailyAveragesLab } from "./spark-daily-averages";

/** Every lab, in the order of the lessons they belong to. `pnpm content:validate` checks them all. */
export const labs: readonly Lab[] = [hdfsBlocksAndReplicationLab, sparkDailyAveragesLab, kafkaSensorReadingsLab];
