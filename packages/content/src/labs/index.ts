/**
 * Labs: typed definitions attached to lessons, the per-learner datasets and the grader's own
 * computations. Pure data and functions (no file system), usable by the web app and lab-runner.
 */
import { labs } from "./catalog";
import type { Lab } from "./lab-model";

export { labs };
export * from "./lab-model";
export { describeCheck, formatBytes } from "./describe-check";
export { labProblems, isWorkspacePath, type EditionLessons } from "./lab-problems";
export { generateDataset, type GeneratedDataset } from "./datasets/lab-dataset";
export { sensorReadings, sensorReadingsCsv, sensorReadingsHeader, formatValue, type SensorReading } from "./datasets/sensor-readings";
export { findComputation, computationNames, type ComputationName, type ComputedRow, type GradingComputation } from "./datasets/computations";
export { seededRandom, type SeededRandom } from "./datasets/seeded-random";

export function findLab(slug: string): Lab | undefined {
  return labs.find((lab) => lab.slug === slug);
}

/** The lab attached to a lesson (validation keeps it to one per lesson). */
export function labForLesson(lessonKey: string): Lab | undefined {
  return labs.find((lab) => lab.lessonKey === lessonKey);
}
