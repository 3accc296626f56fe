import { findComputation, type GradingComputation, type SparkOutputCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../check-failure";
import { compareRows, parseOutputRows } from "./spark-output-rows";

const daily = findComputation("daily-averages") as GradingComputation;
const check: SparkOutputCheck = {
  kind: "spark-output",
  path: "/data/iot/daily-averages",
  storage: "hdfs",
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
