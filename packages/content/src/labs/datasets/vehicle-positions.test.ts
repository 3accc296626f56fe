import { describe, expect, it } from "vitest";
import { generateDataset } from "./lab-dataset";
import { latestPositions, vehiclePositions, vehiclePositionsCsv } from "./vehicle-positions";

const spec = { vehicles: 8, positionsPerVehicle: 30, intervalSeconds: 60 };

describe("vehiclePositions", () => {
  it("is deterministic per seed, and two learners get different positions", () => {
    expect(vehiclePositions(spec, "alice")).toEqual(vehiclePositions(spec, "alice"));
    const alice = new Set(vehiclePositionsCsv(vehiclePositions(spec, "alice")).split("\n").slice(1));
    const bob = vehiclePositionsCsv(vehiclePositions(spec, "bob")).split("\n").slice(1, -1);
    expect(bob.filter((line) => alice.has(line)).length).toBeLessThan(3);
  });

  it("gives every van its positions, strictly later each time, with the whole file in time order", () => {
    const positions = vehiclePositions(spec, "order");
    expect(positions).toHaveLength(240);
    const timestamps = positions.map((p) => p.timestamp);
    expect([...timestamps].sort()).toEqual(timestamps);
    const vans = [...new Set(positions.map((p) => p.vehicle))].sort();
    expect(vans).toEqual(["van-1", "van-2", "van-3", "van-4", "van-5", "van-6", "van-7", "van-8"]);
    for (const van of vans) {
      const own = positions.filter((p) => p.vehicle === van).map((p) => p.timestamp);
      expect(own).toHaveLength(30);
      expect(new Set(own).size).toBe(30);
      expect(latestPositions(positions).get(van)?.timestamp).toBe(own.at(-1));
    }
    // Interleaved: the first few lines are different vans, not one van's whole track.
    expect(new Set(positions.slice(0, 8).map((p) => p.vehicle)).size).toBeGreaterThan(4);
  });

  it("writes timestamp,vehicle,lat,lon with five decimals, and generateDataset carries the positions", () => {
    const dataset = generateDataset({ kind: "vehicle-positions", file: "data/vehicle-positions.csv", ...spec }, "csv");
    const [header, first] = dataset.content.split("\n");
    expect(header).toBe("timestamp,vehicle,lat,lon");
    expect(first).toMatch(/^2016-0[5-7]-\d\d 08:0\d:\d\d,van-\d,5\d\.\d{5},1\d\.\d{5}$/);
    expect(dataset.positions).toHaveLength(240);
    expect(dataset.readings).toEqual([]);
    expect(vehiclePositionsCsv([{ timestamp: "2016-05-01 08:00:00", vehicle: "van-1", latE5: 5_250_001, lonE5: 1_340_000 }])).toBe(
      "timestamp,vehicle,lat,lon\n2016-05-01 08:00:00,van-1,52.50001,13.40000\n",
    );
  });
});
