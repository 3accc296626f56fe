import { describe, expect, it } from "vitest";
import { computationNames, findComputation, type ComputationInput } from "./computations";
import { sensorReadings, type SensorReading } from "./sensor-readings";

/** The book's Figure 20.2: three days, values 1..9, daily averages (1+5+9)/3, (2+6+7)/3, (3+4+8)/3. */
const bookExample: SensorReading[] = [
  ["2016-05-01 01:02:03", 1],
  ["2016-05-02 02:02:03", 2],
  ["2016-05-03 03:02:03", 3],
  ["2016-05-03 04:02:03", 4],
  ["2016-05-01 05:02:03", 5],
  ["2016-05-02 06:02:03", 6],
  ["2016-05-02 07:02:03", 7],
  ["2016-05-03 08:02:03", 8],
  ["2016-05-01 09:02:03", 9],
].map(([timestamp, value]) => ({ timestamp: String(timestamp), centi: Number(value) * 100 }));

/** A dataset-only input: results per sensor read `sensors`, the others `readings`. */
const of = (readings: SensorReading[]): ComputationInput => ({ readings, sensors: [] });

describe("grading computations", () => {
  it("knows the daily and minute averages", () => {
    expect(computationNames).toEqual([
      "daily-averages",
      "minute-averages",
      "hourly-averages",
      "readings-by-sensor",
      "hourly-averages-by-sensor",
      "latest-hour-by-sensor",
      "card-totals",
    ]);
    expect(findComputation("weekly-averages")).toBeUndefined();
    expect(findComputation("toString")).toBeUndefined();
  });

  it("computes the book's daily averages, sorted by day", () => {
    expect(findComputation("daily-averages")?.compute(of(bookExample))).toEqual([
      { key: "2016-05-01", value: 5 },
      { key: "2016-05-02", value: 5 },
      { key: "2016-05-03", value: 5 },
    ]);
  });

  it("cuts the key to the minute for minute averages", () => {
    const readings = [
      { timestamp: "2016-05-01 01:02:03", centi: 2000 },
      { timestamp: "2016-05-01 01:02:50", centi: 2101 },
      { timestamp: "2016-05-01 01:03:00", centi: 1999 },
    ];
    expect(findComputation("minute-averages")?.compute(of(readings))).toEqual([
      { key: "2016-05-01 01:02", value: 20.505 },
      { key: "2016-05-01 01:03", value: 19.99 },
    ]);
  });

  it("cuts the key to the hour for hourly averages, each hour in the partition of its day", () => {
    const hourly = findComputation("hourly-averages");
    const readings = [
      { timestamp: "2016-05-01 23:59:59", centi: 2000 },
      { timestamp: "2016-05-01 23:00:00", centi: 2101 },
      { timestamp: "2016-05-02 00:00:01", centi: 1999 },
    ];
    expect(hourly?.compute(of(readings))).toEqual([
      { key: "2016-05-01 23", value: 20.505 },
      { key: "2016-05-02 00", value: 19.99 },
    ]);
    expect(hourly?.partitions?.day?.("2016-05-02 00")).toBe("2016-05-02");
    expect(findComputation("daily-averages")?.partitions).toBeUndefined();
  });

  it("gives one row per day and per minute of a generated dataset", () => {
    const readings = sensorReadings({ days: 3, intervalSeconds: 10 }, "rows");
    expect(findComputation("daily-averages")?.compute(of(readings))).toHaveLength(3);
    expect(findComputation("minute-averages")?.compute(of(readings))).toHaveLength(3 * 24 * 60);
  });

  describe("results per sensor", () => {
    const hallA = [
      { timestamp: "2016-05-01 22:10:00", centi: 2000 },
      { timestamp: "2016-05-01 23:05:00", centi: 1900 },
      { timestamp: "2016-05-01 23:55:00", centi: 1801 },
    ];
    const hallB = [
      { timestamp: "2016-06-02 00:00:04", centi: 1500 },
      { timestamp: "2016-06-02 00:20:00", centi: 1600 },
    ];
    const input: ComputationInput = {
      readings: hallA,
      sensors: [
        { sensor: "hall-b", readings: hallB, origin: "exist only in Kafka topic hall-b-readings" },
        { sensor: "hall-a", readings: hallA, origin: "are yours" },
      ],
    };

    it("keeps every reading of every sensor, sensors in name order, each in the partition of its day", () => {
      const readings = findComputation("readings-by-sensor");
      expect(readings?.compute(input)).toEqual([
        { sensor: "hall-a", key: "2016-05-01 22:10:00", value: 20 },
        { sensor: "hall-a", key: "2016-05-01 23:05:00", value: 19 },
        { sensor: "hall-a", key: "2016-05-01 23:55:00", value: 18.01 },
        { sensor: "hall-b", key: "2016-06-02 00:00:04", value: 15 },
        { sensor: "hall-b", key: "2016-06-02 00:20:00", value: 16 },
      ]);
      expect(readings?.partitions?.day?.("2016-06-02 00:20:00")).toBe("2016-06-02");
      expect(readings?.compute(of(hallA))).toEqual([]);
    });

    it("averages each sensor's hours, and keeps each sensor's latest hour for the dashboard", () => {
      expect(findComputation("hourly-averages-by-sensor")?.compute(input)).toEqual([
        { sensor: "hall-a", key: "2016-05-01 22", value: 20 },
        { sensor: "hall-a", key: "2016-05-01 23", value: 18.505 },
        { sensor: "hall-b", key: "2016-06-02 00", value: 15.5 },
      ]);
      expect(findComputation("latest-hour-by-sensor")?.compute(input)).toEqual([
        { sensor: "hall-a", key: "2016-05-01 23", value: 18.505 },
        { sensor: "hall-b", key: "2016-06-02 00", value: 15.5 },
      ]);
      expect(findComputation("latest-hour-by-sensor")?.partitions).toBeUndefined();
    });
  });
});
