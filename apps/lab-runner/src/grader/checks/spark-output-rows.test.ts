import { findComputation, type GradingComputation, type SparkOutputCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../check-failure";
import { compareRows, formatVerdict, parseOutputRows, partitioningVerdict, partitionValue, sniffFormat } from "./spark-output-rows";

const daily = findComputation("daily-averages") as GradingComputation;
const check: SparkOutputCheck = {
  kind: "spark-output",
  path: "/data/iot/daily-averages",
  format: "csv",
  expected: "daily-averages",
  tolerance: 0.01,
};
const expected = [
  { key: "2016-05-01", value: 21.4733333 },
  { key: "2016-05-02", value: 20.5 },
];

describe("parseOutputRows", () => {
  it("reads Spark's CSV part files with or without a header, in any column order", () => {
    const rows = parseOutputRows(
      [
        { name: "part-00000.csv", text: "day,average\n2016-05-01,21.47333333333\n" },
        { name: "part-00001.csv", text: "average,day\n20.5,2016-05-02\n" },
        { name: "part-00002.csv", text: "" },
        { name: "part-00003.csv", text: '"2016-05-03",19\n' },
      ],
      check,
      daily,
    );
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ["2016-05-01", 21.47333333333],
      ["2016-05-02", 20.5],
      ["2016-05-03", 19],
    ]);
  });

  it("names the file and the columns when the header is not the asked-for one", () => {
    const parse = () => parseOutputRows([{ name: "part-00000.csv", text: "date,avg(value)\n2016-05-01,21.4\n" }], check, daily);
    expect(parse).toThrow(CheckFailure);
    expect(parse).toThrow(expect.objectContaining({ finding: "wrong-columns" }));
    expect(parse).toThrow('The first line of part-00000.csv is "date,avg(value)"; this step asks for the columns day,average.');
  });

  it("rejects a line without a number", () => {
    const parse = () => parseOutputRows([{ name: "part-0", text: "2016-05-01,21.4\n2016-05-02,n/a\n" }], check, daily);
    expect(parse).toThrow('Line 2 of part-0 is "2016-05-02,n/a": expected day,average with a number as average.');
    expect(parse).toThrow(expect.objectContaining({ finding: "malformed-row" }));
  });

  it("reads JSON lines", () => {
    const json = { ...check, format: "json" as const };
    const rows = parseOutputRows([{ name: "part-0.json", text: '{"day":"2016-05-01","average":21.47}\n' }], json, daily);
    expect(rows).toEqual([{ key: "2016-05-01", value: 21.47, where: "part-0.json" }]);
    const parse = () => parseOutputRows([{ name: "part-0.json", text: '{"day":"2016-05-01","avg":21.47}\n' }], json, daily);
    expect(parse).toThrow('expected a JSON object with a string "day" and a number "average"');
    expect(parse).toThrow(expect.objectContaining({ finding: "malformed-row" }));
  });
});

const row = (key: string, value: number) => ({ key, value, where: "part-0" });

describe("compareRows", () => {
  it("passes averages within the tolerance", () => {
    expect(compareRows([row("2016-05-02", 20.505), row("2016-05-01", 21.47)], expected, check, daily)).toEqual({
      passed: true,
      finding: "passed",
      detail: "All 2 days match the averages of your readings (within ±0.01).",
    });
  });

  it("names the first day that is off and how many are", () => {
    const verdict = compareRows([row("2016-05-01", 644.2), row("2016-05-02", 615)], expected, check, daily);
    expect(verdict).toEqual({
      passed: false,
      finding: "mismatch",
      detail: "For 2016-05-01 your output has 644.2; the average of your readings that day is 21.473. All 2 rows are off by more than 0.01.",
    });
  });

  it("reports missing, unexpected and duplicate keys", () => {
    expect(compareRows([row("2016-05-01", 21.47)], expected, check, daily)).toEqual({
      passed: false,
      finding: "wrong-keys",
      detail: 'Your output has 1 row; expected 2 rows, one per day of your readings like "2016-05-01". Missing: "2016-05-02".',
    });
    expect(compareRows([row("2016-05-01 00", 21), row("2016-05-01", 21.47), row("2016-05-02", 20.5)], expected, check, daily).detail).toContain(
      'Not a day of your readings: "2016-05-01 00".',
    );
    expect(compareRows([row("2016-05-01", 21.47), row("2016-05-01", 21.47)], expected, check, daily)).toMatchObject({
      finding: "duplicate-key",
      detail: "Your output has more than one row for day 2016-05-01 (seen again in part-0).",
    });
    expect(compareRows([], expected, check, daily)).toMatchObject({
      finding: "no-rows",
      detail: "/data/iot/daily-averages has no rows: its part files are empty.",
    });
  });
});

describe("Parquet partitioned by day", () => {
  const hourly = findComputation("hourly-averages") as GradingComputation;
  const parquet: SparkOutputCheck = {
    kind: "spark-output",
    path: "/data/iot/hourly-df",
    format: "parquet",
    partitionedBy: "day",
    expected: "hourly-averages",
    tolerance: 0.01,
  };
  const part = "part-00000-5d1c9a0e-c000.snappy.parquet";
  const file = (name: string, records: Record<string, unknown>[]) => ({ name, text: "", records });

  it("reads the partition value from the directory name, unescaping Spark's %XX", () => {
    expect(partitionValue(`day=2016-05-01/${part}`, "day")).toBe("2016-05-01");
    expect(partitionValue(`day=2016-05-01%2013/${part}`, "day")).toBe("2016-05-01 13");
    expect(partitionValue(part, "day")).toBeNull();
    expect(partitionValue(`hour=2016-05-01 13/${part}`, "day")).toBeNull();
    expect(partitionValue(`dayx=1/${part}`, "day")).toBeNull();
  });

  it("reads rows as hyparquet gives them, in the partition of their day", () => {
    const rows = parseOutputRows(
      [
        file(`day=2016-05-01/${part}`, [
          { hour: "2016-05-01 00", average: 20.5 },
          { hour: "2016-05-01 23", average: 21 },
        ]),
        file(`day=2016-05-02/${part}`, [{ average: 19.25, hour: "2016-05-02 00" }]),
        file(`day=2016-05-03/${part}`, []),
      ],
      parquet,
      hourly,
    );
    expect(rows).toEqual([
      { key: "2016-05-01 00", value: 20.5, where: `day=2016-05-01/${part}` },
      { key: "2016-05-01 23", value: 21, where: `day=2016-05-01/${part}` },
      { key: "2016-05-02 00", value: 19.25, where: `day=2016-05-02/${part}` },
    ]);
    expect(
      compareRows(
        rows,
        [
          { key: "2016-05-01 00", value: 20.5 },
          { key: "2016-05-01 23", value: 21 },
          { key: "2016-05-02 00", value: 19.25 },
        ],
        parquet,
        hourly,
      ),
    ).toMatchObject({
      passed: true,
      detail: "All 3 hours match the averages of your readings (within ±0.01).",
    });
  });

  it("refuses a row in another day's directory", () => {
    const parse = () => parseOutputRows([file(`day=2016-05-01/${part}`, [{ hour: "2016-05-02 00", average: 20 }])], parquet, hourly);
    expect(parse).toThrow(expect.objectContaining({ finding: "wrong-partition" }));
    expect(parse).toThrow(`The row for hour 2016-05-02 00 is in day=2016-05-01/${part}; it belongs in day=2016-05-02`);
  });

  it("names the columns when a Parquet row lacks the asked-for ones or has the wrong types", () => {
    const misnamed = () => parseOutputRows([file(`day=2016-05-01/${part}`, [{ hour: "2016-05-01 00", "avg(value)": 20 }])], parquet, hourly);
    expect(misnamed).toThrow(expect.objectContaining({ finding: "malformed-row" }));
    expect(misnamed).toThrow('has the columns hour, avg(value) with hour = the string "2016-05-01 00" and average = (missing)');
    const timestamp = () =>
      parseOutputRows([file(`day=2016-05-01/${part}`, [{ hour: new Date("2016-05-01T00:00:00Z"), average: 20 }])], parquet, hourly);
    expect(timestamp).toThrow("hour = a timestamp (2016-05-01T00:00:00.000Z)");
    const long = parseOutputRows([file(`day=2016-05-01/${part}`, [{ hour: "2016-05-01 00", average: 20n }])], parquet, hourly);
    expect(long[0]?.value).toBe(20);
  });

  it("says when the output is not partitioned by day, and what it has instead", () => {
    expect(partitioningVerdict([{ name: part }], parquet)).toEqual({
      passed: false,
      finding: "not-partitioned",
      detail:
        '/data/iot/hourly-df is not partitioned by day: no day=… directories (its part files lie directly in it). This step asks for output written with .partitionBy("day"), one day=<value> directory per day.',
    });
    expect(partitioningVerdict([], parquet, ["hour=2016-05-01 00", "hour=2016-05-01 01", "hour=2016-05-01 02"])?.detail).toContain(
      "no day=… directories (it has hour=2016-05-01 00, hour=2016-05-01 01 … instead)",
    );
    expect(partitioningVerdict([{ name: `day=2016-05-01/${part}` }, { name: part }], parquet)?.detail).toBe(
      `/data/iot/hourly-df/${part} is not in a day=… directory, while other part files are: every part file of output partitioned by day lies in the directory of its day.`,
    );
    expect(partitioningVerdict([{ name: `day=2016-05-01/${part}` }], parquet)).toBeNull();
    expect(partitioningVerdict([{ name: part }], check)).toBeNull();
  });
});

describe("the format of a part file, by its bytes", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const parquetBytes = new Uint8Array([...bytes("PAR1"), 0x15, 0x00, 0x15, 0x9c, 0x01, 0x2c, ...bytes("PAR1")]);
  const parquet: SparkOutputCheck = { ...check, path: "/data/iot/hourly-sql", format: "parquet" };

  it("tells Parquet, CSV and JSON lines apart", () => {
    expect(sniffFormat(parquetBytes)).toBe("parquet");
    expect(sniffFormat(bytes("hour,average\n2016-05-01 00,20.5\n"))).toBe("csv");
    expect(sniffFormat(bytes('{"hour":"2016-05-01 00","average":20.5}\n'))).toBe("json");
    expect(sniffFormat(new Uint8Array([0x4f, 0x52, 0x43, 0x00, 0x01]))).toBe("unknown");
  });

  it("names what a part file holds when it is not the asked-for format", () => {
    expect(formatVerdict("day=2016-05-01/part-00000.csv", bytes("hour,average\n2016-05-01 00,20.5\n"), parquet)).toEqual({
      passed: false,
      finding: "wrong-format",
      detail: "/data/iot/hourly-sql/day=2016-05-01/part-00000.csv holds CSV, this step asks for Parquet: write it with .write.parquet(…).",
    });
    expect(formatVerdict("part-0", bytes('{"hour":"x"}\n'), parquet)?.detail).toContain("holds JSON lines, this step asks for Parquet");
    expect(formatVerdict("part-0", new Uint8Array([0x4f, 0x52, 0x43, 0x00]), parquet)?.detail).toContain(
      "does not hold Parquet (a Parquet file begins and ends with PAR1)",
    );
    expect(formatVerdict("part-0.parquet", parquetBytes, check)?.detail).toBe(
      "/data/iot/daily-averages/part-0.parquet holds Parquet, this step asks for CSV: write it with .write.csv(…, header=True).",
    );
    expect(formatVerdict("part-0", parquetBytes, parquet)).toBeNull();
    expect(formatVerdict("part-0", bytes("day,average\n"), check)).toBeNull();
    expect(formatVerdict("part-0", new Uint8Array(), parquet)).toBeNull();
  });
});

describe("a result per sensor", () => {
  const hourly = findComputation("hourly-averages-by-sensor") as GradingComputation;
  const latest = findComputation("latest-hour-by-sensor") as GradingComputation;
  const parquet: SparkOutputCheck = {
    kind: "spark-output",
    path: "/data/lake/hourly",
    format: "parquet",
    partitionedBy: "day",
    expected: "hourly-averages-by-sensor",
    tolerance: 0.01,
  };
  const tile: SparkOutputCheck = {
    kind: "spark-output",
    path: "/data/dashboard/latest",
    format: "json",
    expected: "latest-hour-by-sensor",
    tolerance: 0.01,
  };
  const sensors = [
    { sensor: "hall-a", readings: [], origin: "are your own (data/sensor-readings.csv): a pipeline gets them from Kafka once they are published" },
    { sensor: "hall-b", readings: [], origin: "exist only in Kafka topic hall-b-readings: no file has them" },
  ];
  const expectedRows = [
    { sensor: "hall-a", key: "2016-05-01 23", value: 18.505 },
    { sensor: "hall-b", key: "2016-06-02 00", value: 15.5 },
  ];
  const sensorRow = (sensor: string, key: string, value: number) => ({ sensor, key, value, where: "part-0" });

  it("reads the sensor column of Parquet, JSON and CSV rows", () => {
    const records = [{ sensor: "hall-a", hour: "2016-05-01 23", average: 18.5 }];
    expect(parseOutputRows([{ name: "day=2016-05-01/part-0.parquet", text: "", records }], parquet, hourly)).toEqual([
      { sensor: "hall-a", key: "2016-05-01 23", value: 18.5, where: "day=2016-05-01/part-0.parquet" },
    ]);
    expect(parseOutputRows([{ name: "part-0.json", text: '{"hour":"2016-06-02 00","sensor":"hall-b","average":15.5}\n' }], tile, latest)).toEqual([
      { sensor: "hall-b", key: "2016-06-02 00", value: 15.5, where: "part-0.json" },
    ]);
    const csv = { ...tile, format: "csv" as const };
    expect(parseOutputRows([{ name: "part-0.csv", text: "average,hour,sensor\n15.5,2016-06-02 00,hall-b\n" }], csv, latest)).toEqual([
      { sensor: "hall-b", key: "2016-06-02 00", value: 15.5, where: "part-0.csv" },
    ]);
    expect(parseOutputRows([{ name: "part-0.csv", text: "hall-b,2016-06-02 00,15.5\n" }], csv, latest)[0]?.sensor).toBe("hall-b");
  });

  it("refuses rows without a sensor", () => {
    const parse = () =>
      parseOutputRows([{ name: "day=2016-05-01/part-0.parquet", text: "", records: [{ hour: "2016-05-01 23", average: 18.5 }] }], parquet, hourly);
    expect(parse).toThrow(expect.objectContaining({ finding: "malformed-row" }));
    expect(parse).toThrow(
      'with sensor = (missing), hour = the string "2016-05-01 23" and average = number 18.5: expected a string column "sensor", a string column "hour"',
    );
    const json = () => parseOutputRows([{ name: "part-0.json", text: '{"hour":"2016-06-02 00","average":15.5}\n' }], tile, latest);
    expect(json).toThrow('expected a JSON object with a string "sensor", a string "hour" and a number "average"');
    const csv = () => parseOutputRows([{ name: "part-0.csv", text: "hour,average\n2016-06-02 00,15.5\n" }], { ...tile, format: "csv" }, latest);
    expect(csv).toThrow("this step asks for the columns sensor,hour,average");
  });

  it("passes rows that match, counted per sensor", () => {
    const rows = [sensorRow("hall-b", "2016-06-02 00", 15.5), sensorRow("hall-a", "2016-05-01 23", 18.5)];
    expect(compareRows(rows, expectedRows, tile, latest, sensors)).toEqual({
      passed: true,
      finding: "passed",
      detail: "All 2 rows match the grader's own, 1 of sensor hall-a, 1 of sensor hall-b (within ±0.01).",
    });
  });

  it("says which sensor is missing and where its readings are, rather than listing its rows", () => {
    expect(compareRows([sensorRow("hall-a", "2016-05-01 23", 18.5)], expectedRows, tile, latest, sensors)).toEqual({
      passed: false,
      finding: "missing-sensor",
      detail: "Your output has no rows of sensor hall-b, whose readings exist only in Kafka topic hall-b-readings: no file has them.",
    });
    expect(
      compareRows([sensorRow("hall-b", "2016-06-02 00", 15.5), sensorRow("hall-x", "2016-05-01 23", 18.5)], expectedRows, tile, latest, sensors),
    ).toMatchObject({
      finding: "missing-sensor",
      detail:
        "Your output has no rows of sensor hall-a, whose readings are your own (data/sensor-readings.csv): a pipeline gets them from Kafka once they are published. Sensor hall-x is none of the pipeline's (hall-a, hall-b).",
    });
  });

  it("names the sensor and key of a wrong or missing row, and what the value should be", () => {
    const rows = [sensorRow("hall-a", "2016-05-01 23", 20), sensorRow("hall-b", "2016-06-02 00", 15.5)];
    expect(compareRows(rows, expectedRows, tile, latest, sensors)).toMatchObject({
      finding: "mismatch",
      detail: "For sensor hall-a, hour 2016-05-01 23 your output has 20; the average of that sensor's readings in its latest hour is 18.505.",
    });
    const lastHourOfAll = [sensorRow("hall-a", "2016-05-01 22", 20), sensorRow("hall-b", "2016-06-02 00", 15.5)];
    expect(compareRows(lastHourOfAll, expectedRows, tile, latest, sensors)).toMatchObject({
      finding: "wrong-keys",
      detail:
        'Your output has 2 rows; expected 2 rows, one per sensor and hour of your pipeline like "hall-a 2016-05-03 23". Not a sensor and hour of your pipeline: "hall-a 2016-05-01 22". Missing: "hall-a 2016-05-01 23".',
    });
    expect(compareRows([...rows, sensorRow("hall-a", "2016-05-01 23", 20)], expectedRows, tile, latest, sensors)).toMatchObject({
      finding: "duplicate-key",
      detail: "Your output has more than one row for sensor hall-a, hour 2016-05-01 23 (seen again in part-0).",
    });
  });
});
