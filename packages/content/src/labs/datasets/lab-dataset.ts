import type { Dataset } from "../lab-model";
import { cardPayments, cardPaymentsCsv, type CardPayment } from "./card-payments";
import { sensorReadings, sensorReadingsCsv, type SensorReading } from "./sensor-readings";
import { vehiclePositions, vehiclePositionsCsv, type VehiclePosition } from "./vehicle-positions";

/** A learner's dataset: the file seeded into the workspace and the records the grader reasons about. */
export interface GeneratedDataset {
  /** Relative to the sandbox workspace. */
  file: string;
  content: string;
  /** A sensor-readings dataset's readings; empty for other kinds. */
  readings: SensorReading[];
  /** A vehicle-positions dataset's positions, in the file's order; absent for other kinds. */
  positions?: VehiclePosition[];
  /** A card-payments dataset's payments, in the file's order; absent for other kinds. */
  payments?: CardPayment[];
}

/** Same dataset definition + same seed = same bytes, wherever it runs. */
export function generateDataset(dataset: Dataset, seed: string): GeneratedDataset {
  switch (dataset.kind) {
    case "sensor-readings": {
      const readings = sensorReadings(dataset, seed);
      return { file: dataset.file, content: sensorReadingsCsv(readings), readings };
    }
    case "vehicle-positions": {
      const positions = vehiclePositions(dataset, seed);
      return { file: dataset.file, content: vehiclePositionsCsv(positions), readings: [], positions };
    }
    case "card-payments": {
      const payments = cardPayments(dataset, seed);
      return { file: dataset.file, content: cardPaymentsCsv(payments), readings: [], payments };
    }
  }
}
