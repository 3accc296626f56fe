/**
 * Labs: typed definitions attached to lessons, the per-learner datasets and the grader's own
 * computations. Pure data and functions (no file system), usable by the web app and lab-runner.
 */
import { labs } from "./catalog";
import type { Lab } from "./lab-model";

export { labs };
export * from "./lab-model";
export { describeCheck, formatBytes, windowLength } from "./describe-check";
export { labProblems, isWorkspacePath, type EditionLessons } from "./lab-problems";
export { generateDataset, type GeneratedDataset } from "./datasets/lab-dataset";
export { sensorReadings, sensorReadingsCsv, sensorReadingsHeader, formatValue, type SensorReading } from "./datasets/sensor-readings";
export {
  vehiclePositions,
  vehiclePositionsCsv,
  vehiclePositionsHeader,
  latestPositions,
  formatDegrees,
  type VehiclePosition,
} from "./datasets/vehicle-positions";
export {
  findComputation,
  computationNames,
  type ComputationInput,
  type ComputationName,
  type ComputedRow,
  type GradingComputation,
  type SensorSeries,
} from "./datasets/computations";
export { seededRandom, type SeededRandom } from "./datasets/seeded-random";
export {
  viewingEvents,
  viewsPerWindow,
  topTitles,
  showCatalogue,
  minViewingEvents,
  type ViewingEvent,
  type TitleViews,
  type WindowViews,
} from "./datasets/viewing-events";
export {
  cardPayments,
  cardPaymentsCutoff,
  cardPaymentsCutoffMs,
  formatAmount,
  totalsByCard,
  type CardPayment,
} from "./datasets/card-payments";
export {
  computeView,
  eurPerUnit,
  kafkaViewNames,
  saleCurrencies,
  saleSchema,
  viewFields,
  viewLogic,
  type KafkaViewName,
  type Sale,
  type ShopRevenue,
} from "./kafka-views";

export function findLab(slug: string): Lab | undefined {
  return labs.find((lab) => lab.slug === slug);
}

/** The labs attached to a lesson, in catalog order: the order the lesson shows them in. */
export function labsForLesson(lessonKey: string): readonly Lab[] {
  return labs.filter((lab) => lab.lessonKey === lessonKey);
}

/**
 * Whether a learner's full scores complete a lesson: every one of its labs has had one (a lab
 * is done at its first full score). A lesson without labs is not completed by labs at all.
 */
export function labsCompleteLesson(lessonKey: string, fullScoreSlugs: ReadonlySet<string>): boolean {
  const ofLesson = labsForLesson(lessonKey);
  return ofLesson.length > 0 && ofLesson.every((lab) => fullScoreSlugs.has(lab.slug));
}
