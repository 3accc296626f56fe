import { totalsByCard, type CardPayment } from "./card-payments";
import type { SensorReading } from "./sensor-readings";

/** One row of a result the grader computes itself: a key (a day, a minute), with its sensor for a result per sensor, and its value. */
export interface ComputedRow {
  key: string;
  value: number;
  /** Set by a result per sensor (a computation with a sensorColumn). */
  sensor?: string;
}

/** One sensor's readings as a pipeline sees them, and where they come from (for feedback). */
export interface SensorSeries {
  sensor: string;
  readings: readonly SensorReading[];
  /** "exist only in Kafka topic hall-b-readings": completes "Your output has no rows of sensor hall-b, whose readings …". */
  origin: string;
}

/** What a result is computed from. */
export interface ComputationInput {
  /** The learner's dataset. */
  readings: readonly SensorReading[];
  /**
   * Every sensor a pipeline reading Kafka sees: the learner's own (the dataset, under its `sensor`
   * name) and each seeded topic of sensor readings. Only results per sensor read it.
   */
  sensors: readonly SensorSeries[];
  /** A card-payments dataset's payments; only results over payments read them. */
  payments?: readonly CardPayment[];
}

export interface GradingComputation {
  name: string;
  /** Column names the learner's output must use (CSV header or JSON fields). */
  keyColumn: string;
  valueColumn: string;
  /** What a key looks like, for feedback: "2016-05-01". */
  keyExample: string;
  /**
   * A result per sensor: the column naming each row's sensor. Such a result covers every sensor
   * of ComputationInput.sensors, and a row is known by its sensor and key together.
   */
  sensorColumn?: string;
  /** What the value is, for feedback: "For <key> your output has 27.1; <valueMeaning> is 21.3." Default: the average of your readings that <key>. */
  valueMeaning?: string;
  /**
   * The partition columns an output of this result may be partitioned by, each with the
   * partition of a key: { day: (hour) => hour.slice(0, 10) } puts "2016-05-01 13" in day=2016-05-01.
   */
  partitions?: Record<string, (key: string) => string>;
  /** The kind of dataset it is computed over; default sensor-readings. */
  datasetKind?: "card-payments";
  /** How feedback names the dataset's records and the result's values: "one per card of your payments", "match the totals of your payments". Default readings, averages. */
  wording?: { records: string; values: string };
  compute(input: ComputationInput): ComputedRow[];
}

/**
 * The book's map phase: "the hour:minute:second information is cut from the timestamp"; its
 * reduce phase averages every key's values. `keyLength` says where the cut is.
 */
function averagesByKeyPrefix(readings: readonly SensorReading[], keyLength: number): ComputedRow[] {
  const groups = new Map<string, { sum: number; count: number }>();
  for (const reading of readings) {
    const key = reading.timestamp.slice(0, keyLength);
    const group = groups.get(key) ?? { sum: 0, count: 0 };
    group.sum += reading.centi;
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, { sum, count }]) => ({ key, value: sum / count / 100 }));
}

/** A result per sensor: each sensor's rows, tagged with it, sensors in name order. */
function perSensor(sensors: readonly SensorSeries[], rows: (readings: readonly SensorReading[]) => ComputedRow[]): ComputedRow[] {
  return [...sensors]
    .sort((a, b) => (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0))
    .flatMap((series) => rows(series.readings).map((row) => ({ ...row, sensor: series.sensor })));
}

const dayOf = (key: string) => key.slice(0, "yyyy-mm-dd".length);

const computations = {
  "daily-averages": {
    name: "daily-averages",
    keyColumn: "day",
    valueColumn: "average",
    keyExample: "2016-05-01",
    compute: ({ readings }) => averagesByKeyPrefix(readings, "yyyy-mm-dd".length),
  },
  // The book's follow-up question: "to generate minute averages ... cut it like this: 2016-05-01 01:02".
  "minute-averages": {
    name: "minute-averages",
    keyColumn: "minute",
    valueColumn: "average",
    keyExample: "2016-05-01 01:02",
    compute: ({ readings }) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh:mm".length),
  },
  // One cut between the day and the minute: "2016-05-01 13", an hour; partitioned by its day.
  "hourly-averages": {
    name: "hourly-averages",
    keyColumn: "hour",
    valueColumn: "average",
    keyExample: "2016-05-01 13",
    partitions: { day: dayOf },
    compute: ({ readings }) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh".length),
  },
  // The blueprint's store (24.3): every reading of every sensor, kept as it came in.
  "readings-by-sensor": {
    name: "readings-by-sensor",
    keyColumn: "timestamp",
    valueColumn: "value",
    keyExample: "2016-05-01 01:02:03",
    sensorColumn: "sensor",
    valueMeaning: "the value of that reading",
    partitions: { day: dayOf },
    compute: ({ sensors }) => perSensor(sensors, (readings) => readings.map((r) => ({ key: r.timestamp, value: r.centi / 100 }))),
  },
  // The blueprint's analytics (24.2): hourly averages of each sensor.
  "hourly-averages-by-sensor": {
    name: "hourly-averages-by-sensor",
    keyColumn: "hour",
    valueColumn: "average",
    keyExample: "2016-05-01 13",
    sensorColumn: "sensor",
    valueMeaning: "the average of that sensor's readings that hour",
    partitions: { day: dayOf },
    compute: ({ sensors }) => perSensor(sensors, (readings) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh".length)),
  },
  // The blueprint's display (24.4): a dashboard's "now" tile, each sensor's latest hourly average.
  "latest-hour-by-sensor": {
    name: "latest-hour-by-sensor",
    keyColumn: "hour",
    valueColumn: "average",
    keyExample: "2016-05-03 23",
    sensorColumn: "sensor",
    valueMeaning: "the average of that sensor's readings in its latest hour",
    compute: ({ sensors }) => perSensor(sensors, (readings) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh".length).slice(-1)),
  },
  // The Lambda lab's batch view (25.1): every card's total over the master dataset.
  "card-totals": {
    name: "card-totals",
    keyColumn: "card",
    valueColumn: "total",
    keyExample: "card-4821",
    valueMeaning: "the total of that card's payments in your master dataset",
    datasetKind: "card-payments",
    wording: { records: "payments", values: "totals" },
    compute: ({ payments }) =>
      [...totalsByCard(payments ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, cents]) => ({ key, value: cents / 100 })),
  },
} satisfies Record<string, GradingComputation>;

export type ComputationName = keyof typeof computations;
export const computationNames = Object.keys(computations) as ComputationName[];

export function findComputation(name: string): GradingComputation | undefined {
  return Object.hasOwn(computations, name) ? computations[name as ComputationName] : undefined;
}
