import type { SensorReadingsDataset } from "../lab-model";
import { seededRandom } from "./seeded-random";

/**
 * One IoT sensor's measurements, as in the cookbook's MapReduce example (20.1.2): "Every
 * measurement consists of a key (the timestamp when the measurement has been taken) and a
 * value (the actual value measured by the sensor)" — here a room temperature in °C.
 */
export interface SensorReading {
  /** "2016-05-01 01:02:03", the book's key format (no time zone: a wall clock reading). */
  timestamp: string;
  /** The value in hundredths of a degree, so sums and averages are exact integers until the last division. */
  centi: number;
}

export const sensorReadingsHeader = "timestamp,value";

const dayMs = 86_400_000;
/** The book's example key is 2016-05-01 01:02:03; each learner starts on a seed-chosen day after it. */
const firstStartDay = Date.UTC(2016, 4, 1);

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function formatTimeOfDay(second: number): string {
  return `${pad(Math.floor(second / 3600))}:${pad(Math.floor(second / 60) % 60)}:${pad(second % 60)}`;
}

/** "21.37": always two decimals and, within the clamp below, always five characters. */
export const formatValue = (centi: number) => (centi / 100).toFixed(2);

/**
 * The readings for one learner: `days` days from a seed-chosen start, one reading about every
 * `intervalSeconds` (jittered by less than half an interval, so they stay in order). The value
 * follows a daily cycle (warmest mid-afternoon) around a per-day level, plus noise; it is kept
 * within 10.00–35.99 so every CSV line has the same length, which makes file sizes and block
 * counts the same for every seed.
 */
export function sensorReadings(spec: Pick<SensorReadingsDataset, "days" | "intervalSeconds">, seed: string): SensorReading[] {
  const random = seededRandom(`sensor-readings\u0000${seed}`);
  const start = firstStartDay + random.int(0, 60) * dayMs;
  const dayLevels = Array.from({ length: spec.days }, () => random.int(-150, 150));
  // Days are formatted once each: a Date per reading made the 8-day dataset several times slower.
  const dayNames = Array.from({ length: spec.days }, (_, day) => formatDay(start + day * dayMs));
  const count = Math.floor((spec.days * 86_400) / spec.intervalSeconds);
  const maxJitter = Math.floor((spec.intervalSeconds - 1) / 2);
  const readings: SensorReading[] = [];
  for (let i = 0; i < count; i++) {
    const second = i * spec.intervalSeconds + random.int(0, maxJitter);
    const day = Math.floor(second / 86_400);
    const secondOfDay = second % 86_400;
    const cycle = 300 * Math.sin(2 * Math.PI * (secondOfDay / 86_400 - 0.375));
    const noise = (random.next() + random.next() - 1) * 60;
    const centi = Math.round(2100 + (dayLevels[day] ?? 0) + cycle + noise);
    readings.push({ timestamp: `${dayNames[day]} ${formatTimeOfDay(secondOfDay)}`, centi: Math.min(3599, Math.max(1000, centi)) });
  }
  return readings;
}

/** The CSV a learner finds in the workspace: header `timestamp,value`, one reading a line. */
export function sensorReadingsCsv(readings: readonly SensorReading[]): string {
  return `${sensorReadingsHeader}\n${readings.map((r) => `${r.timestamp},${formatValue(r.centi)}\n`).join("")}`;
}
