import { describe, expect, it } from "vitest";
import { generateDataset } from "./lab-dataset";
import { sensorReadings, sensorReadingsCsv } from "./sensor-readings";
import { seededRandom } from "./seeded-random";

const hdfsLabDataset = { kind: "sensor-readings", file: "data/sensor-readings.csv", days: 8, intervalSeconds: 5 } as const;

describe("seededRandom", () => {
  it("repeats for a seed and differs between seeds", () => {
    const draw = (seed: string) => Array.from({ length: 5 }, seededRandom(seed).next);
    expect(draw("learner-a")).toEqual(draw("learner-a"));
    expect(draw("learner-a")).not.toEqual(draw("learner-b"));
    for (const value of draw("x")) expect(value >= 0 && value < 1).toBe(true);
  });

  it("draws integers within both bounds", () => {
    const random = seededRandom("bounds");
    const seen = new Set(Array.from({ length: 500 }, () => random.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });
});

describe("sensorReadings", () => {
  it("is deterministic per seed, and two learners get different readings", () => {
    const spec = { days: 1, intervalSeconds: 900 };
    expect(sensorReadings(spec, "alice")).toEqual(sensorReadings(spec, "alice"));
    const alice = new Set(sensorReadings(spec, "alice").map((r) => `${r.timestamp},${r.centi}`));
    const bob = sensorReadings(spec, "bob").map((r) => `${r.timestamp},${r.centi}`);
    expect(bob.filter((reading) => alice.has(reading)).length).toBeLessThan(3);
  });

  it("gives one reading per interval, in order, within the requested days", () => {
    const readings = sensorReadings({ days: 2, intervalSeconds: 60 }, "order");
    expect(readings).toHaveLength(2 * 24 * 60);
    const timestamps = readings.map((r) => r.timestamp);
    expect([...timestamps].sort()).toEqual(timestamps);
    expect(new Set(timestamps).size).toBe(timestamps.length);
    const days = new Set(timestamps.map((t) => t.slice(0, 10)));
    expect(days.size).toBe(2);
    for (const t of timestamps) expect(t).toMatch(/^2016-0[5-7]-\d\d \d\d:\d\d:\d\d$/);
  });

  it("keeps values plausible room temperatures with two decimals", () => {
    const readings = sensorReadings({ days: 3, intervalSeconds: 10 }, "values");
    const values = readings.map((r) => r.centi / 100);
    expect(Math.min(...values)).toBeGreaterThan(10);
    expect(Math.max(...values)).toBeLessThan(36);
    expect(new Set(values.map((v) => Math.round(v))).size).toBeGreaterThan(3);
  });

  it("writes the CSV with the header timestamp,value", () => {
    const csv = sensorReadingsCsv([
      { timestamp: "2016-05-01 01:02:03", centi: 2137 },
      { timestamp: "2016-05-01 01:02:13", centi: 1005 },
    ]);
    expect(csv).toBe("timestamp,value\n2016-05-01 01:02:03,21.37\n2016-05-01 01:02:13,10.05\n");
  });

  it("makes the HDFS lab's file the same size for every seed, spanning 4 blocks of 1 MiB", () => {
    const sizes = ["a", "b", "c"].map((seed) => Buffer.byteLength(generateDataset(hdfsLabDataset, seed).content));
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBe(16 + 8 * 17_280 * 26);
    expect(Math.ceil((sizes[0] ?? 0) / 2 ** 20)).toBe(4);
  });
});
