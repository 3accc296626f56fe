import type { SensorReading } from "./sensor-readings";

/** One row of a result the grader computes itself: a key (a day, a minute) and its value. */
export interface ComputedRow {
  key: string;
  value: number;
}

export interface GradingComputation {
  name: string;
  /** Column names the learner's output must use (CSV header or JSON fields). */
  keyColumn: string;
  valueColumn: string;
  /** What a key looks like, for feedback: "2016-05-01". */
  keyExample: string;
  /**
   * The partition columns an output of this result may be partitioned by, each with the
   * partition of a key: { day: (hour) => hour.slice(0, 10) } puts "2016-05-01 13" in day=2016-05-01.
   */
  partitions?: Record<string, (key: string) => string>;
  compute(readings: readonly SensorReading[]): ComputedRow[];
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

const computations = {
  "daily-averages": {
    name: "daily-averages",
    keyColumn: "day",
    valueColumn: "average",
    keyExample: "2016-05-01",
    compute: (readings) => averagesByKeyPrefix(readings, "yyyy-mm-dd".length),
  },
  // The book's follow-up question: "to generate minute averages ... cut it like this: 2016-05-01 01:02".
  "minute-averages": {
    name: "minute-averages",
    keyColumn: "minute",
    valueColumn: "average",
    keyExample: "2016-05-01 01:02",
    compute: (readings) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh:mm".length),
  },
  // One cut between the day and the minute: "2016-05-01 13", an hour; partitioned by its day.
  "hourly-averages": {
    name: "hourly-averages",
    keyColumn: "hour",
    valueColumn: "average",
    keyExample: "2016-05-01 13",
    partitions: { day: (hour) => hour.slice(0, "yyyy-mm-dd".length) },
    compute: (readings) => averagesByKeyPrefix(readings, "yyyy-mm-dd hh".length),
  },
} satisfies Record<string, GradingComputation>;

export type ComputationName = keyof typeof computations;
export const computationNames = Object.keys(computations) as ComputationName[];

export function findComputation(name: string): GradingComputation | undefined {
  return Object.hasOwn(computations, name) ? computations[name as ComputationName] : undefined;
}
