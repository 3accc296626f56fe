import type { Dataset } from "../lab-model";
import { sensorReadings, sensorReadingsCsv, type SensorReading } from "./sensor-readings";

/** A learner's dataset: the file seeded into the workspace and the records the grader reasons about. */
export interface GeneratedDataset {
  /** Relative to the sandbox workspace. */
  file: string;
  content: string;
  readings: SensorReading[];
}

/** Same dataset definition + same seed = same bytes, wherever it runs. */
export function generateDataset(dataset: Dataset, seed: string): GeneratedDataset {
  const readings = sensorReadings(dataset, seed);
  return { file: dataset.file, content: sensorReadingsCsv(readings), readings };
}
