import type { VehiclePositionsDataset } from "../lab-model";
import { formatTimestamp } from "./event-time";
import { seededRandom } from "./seeded-random";

/**
 * A delivery fleet's GPS positions, the cookbook's "IoT sensor data like from cars" (24.1): every
 * van reports where it is about once per interval. The file is in time order over the whole fleet,
 * as a gateway that receives the reports would write it, so one van's positions are interleaved
 * with the others'.
 */
export interface VehiclePosition {
  /** "2016-05-01 08:02:03", the book's timestamp format. */
  timestamp: string;
  /** "van-3": the message key the labs ask for. */
  vehicle: string;
  /** Latitude and longitude in hundred-thousandths of a degree (five decimals, about a metre), exact integers. */
  latE5: number;
  lonE5: number;
}

export const vehiclePositionsHeader = "timestamp,vehicle,lat,lon";

/** "van-1" … "van-N": fixed names, so the lab's text can name them; Kafka's default partitioner spreads van-1..van-8 evenly over 4 partitions. */
export const vehicleName = (index: number) => `van-${index + 1}`;

const dayMs = 86_400_000;
const firstStartDay = Date.UTC(2016, 4, 1);

/** "52.51234": five decimals, as in the CSV. */
export const formatDegrees = (e5: number) => (e5 / 100_000).toFixed(5);

/**
 * One learner's fleet: `vehicles` vans, `positionsPerVehicle` reports each, starting at 08:00 on a
 * seed-chosen day. Each van starts somewhere in a city-sized box and drives a random walk; its
 * reports are `intervalSeconds` apart, jittered by less than half an interval, so a van's
 * timestamps strictly increase. Sorted by time, ties broken by van.
 */
export function vehiclePositions(
  spec: Pick<VehiclePositionsDataset, "vehicles" | "positionsPerVehicle" | "intervalSeconds">,
  seed: string,
): VehiclePosition[] {
  const random = seededRandom(`vehicle-positions\u0000${seed}`);
  const start = firstStartDay + random.int(0, 60) * dayMs + 8 * 3_600_000;
  const maxJitter = Math.floor((spec.intervalSeconds - 1) / 2);
  const positions: { ms: number; vehicle: number; latE5: number; lonE5: number }[] = [];
  for (let vehicle = 0; vehicle < spec.vehicles; vehicle++) {
    let latE5 = random.int(5_235_000, 5_260_000);
    let lonE5 = random.int(1_320_000, 1_360_000);
    for (let i = 0; i < spec.positionsPerVehicle; i++) {
      const ms = start + (i * spec.intervalSeconds + random.int(0, maxJitter)) * 1000;
      positions.push({ ms, vehicle, latE5, lonE5 });
      latE5 += random.int(-250, 250);
      lonE5 += random.int(-400, 400);
    }
  }
  positions.sort((a, b) => a.ms - b.ms || a.vehicle - b.vehicle);
  return positions.map((p) => ({ timestamp: formatTimestamp(p.ms), vehicle: vehicleName(p.vehicle), latE5: p.latE5, lonE5: p.lonE5 }));
}

export function vehiclePositionsCsv(positions: readonly VehiclePosition[]): string {
  const lines = positions.map((p) => `${p.timestamp},${p.vehicle},${formatDegrees(p.latE5)},${formatDegrees(p.lonE5)}`);
  return `${[vehiclePositionsHeader, ...lines].join("\n")}\n`;
}

/** Every vehicle's last position in time, the one a compacted topic keeps per key. */
export function latestPositions(positions: readonly VehiclePosition[]): Map<string, VehiclePosition> {
  const latest = new Map<string, VehiclePosition>();
  for (const position of positions) {
    const known = latest.get(position.vehicle);
    if (!known || known.timestamp <= position.timestamp) latest.set(position.vehicle, position);
  }
  return latest;
}
