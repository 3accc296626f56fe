import type { ComputedRow, GradingComputation, SensorSeries, SparkOutputCheck } from "@cookbook/content/labs";
import { CheckFailure } from "../check-failure";
import { excerpt, failed, passed, plural, quote, type CheckVerdict } from "./verdict";

/** One part file of a Spark output directory. */
export interface PartFile {
  /** Relative to the output directory: "part-00000.csv", or "day=2016-05-01/part-00000.parquet" when partitioned. */
  name: string;
  text: string;
  /** A Parquet file's rows, as hyparquet read them (the text is then unused). */
  records?: readonly Record<string, unknown>[];
}

/** One row of an output, Spark's or MapReduce's, as the comparison with the grader's own reads it. */
export interface OutputRow {
  key: string;
  value: number;
  where: string;
  /** A result per sensor's sensor column. */
  sensor?: string;
}

const unquote = (field: string) => field.trim().replace(/^"(.*)"$/, "$1");
export const isNumeric = (text: string) => text.trim() !== "" && Number.isFinite(Number(text));

/** The columns a row of the result has, in their default order: [sensor,] key, value. */
const columnsOf = (computation: GradingComputation) =>
  [computation.sensorColumn, computation.keyColumn, computation.valueColumn].filter((column) => column !== undefined);

/** CSV as Spark writes it: an optional header line per part file, then [sensor,]key,value lines. */
function csvRows(file: PartFile, computation: GradingComputation): OutputRow[] {
  const lines = file.text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const names = columnsOf(computation);
  const columns = names.join(",");
  let indices = names.map((_, i) => i);
  const first = lines[0]?.split(",").map(unquote);
  if (first && !isNumeric(first[names.length - 1] ?? "")) {
    const header = first.map((name) => name.toLowerCase());
    indices = names.map((name) => header.indexOf(name));
    if (indices.some((index) => index < 0)) {
      throw new CheckFailure(
        "wrong-columns",
        `The first line of ${file.name} is ${quote(lines[0] ?? "")}; this step asks for the columns ${columns}.`,
      );
    }
    lines.shift();
  }
  const field = (fields: readonly string[], column: string) => fields[indices[names.indexOf(column)] ?? -1];
  return lines.map((line, i) => {
    const fields = line.split(",").map(unquote);
    const key = field(fields, computation.keyColumn);
    const value = field(fields, computation.valueColumn);
    const sensor = computation.sensorColumn === undefined ? undefined : field(fields, computation.sensorColumn);
    if (key === undefined || value === undefined || !isNumeric(value) || (computation.sensorColumn !== undefined && !sensor)) {
      throw new CheckFailure(
        "malformed-row",
        `Line ${i + 1} of ${file.name} is ${quote(line)}: expected ${columns} with a number as ${computation.valueColumn}.`,
      );
    }
    return { key, value: Number(value), where: file.name, ...(sensor === undefined ? {} : { sensor }) };
  });
}

/** The sensor of a JSON or Parquet row: absent for a result that is not per sensor, null when the row lacks a string one. */
function sensorOf(record: Record<string, unknown>, computation: GradingComputation): string | null | undefined {
  if (!computation.sensorColumn) return undefined;
  const sensor = record[computation.sensorColumn];
  return typeof sensor === "string" && sensor !== "" ? sensor : null;
}

/** JSON lines as Spark writes them: one object per line. */
function jsonRows(file: PartFile, computation: GradingComputation): OutputRow[] {
  const lines = file.text.split(/\r?\n/).filter((line) => line.trim() !== "");
  return lines.map((line, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const key = record[computation.keyColumn];
    const value = record[computation.valueColumn];
    const sensor = sensorOf(record, computation);
    if (typeof key !== "string" || typeof value !== "number" || sensor === null) {
      const sensorField = computation.sensorColumn ? `a string "${computation.sensorColumn}", ` : "";
      throw new CheckFailure(
        "malformed-row",
        `Line ${i + 1} of ${file.name} is ${quote(line)}: expected a JSON object with ${sensorField}a string "${computation.keyColumn}" and a number "${computation.valueColumn}".`,
      );
    }
    return { key, value, where: file.name, ...(sensor === undefined ? {} : { sensor }) };
  });
}

/** Parquet rows as hyparquet reads them: [a string sensor column,] a string key column and a number (double, float, int or long) value column. */
function parquetRows(file: PartFile, computation: GradingComputation): OutputRow[] {
  return (file.records ?? []).map((record, i) => {
    const key = record[computation.keyColumn];
    const raw = record[computation.valueColumn];
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    const sensor = sensorOf(record, computation);
    if (typeof key !== "string" || typeof value !== "number" || sensor === null) {
      const columns = Object.keys(record).join(", ");
      const sensorColumn = computation.sensorColumn;
      const found = sensorColumn ? `${sensorColumn} = ${describeValue(record[sensorColumn])}, ` : "";
      const wanted = sensorColumn ? `a string column "${sensorColumn}", ` : "";
      throw new CheckFailure(
        "malformed-row",
        `Row ${i + 1} of ${file.name} has the columns ${columns || "(none)"} with ${found}${computation.keyColumn} = ${describeValue(key)} and ${computation.valueColumn} = ${describeValue(raw)}: expected ${wanted}a string column "${computation.keyColumn}" (like "${computation.keyExample}") and a number column "${computation.valueColumn}".`,
      );
    }
    return { key, value, where: file.name, ...(sensor === undefined ? {} : { sensor }) };
  });
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (value instanceof Date) return `a timestamp (${value.toISOString()})`;
  if (typeof value === "string") return `the string ${quote(value, 40)}`;
  return `${typeof value} ${excerpt(String(value), 40)}`;
}

/** The partition directory a part file lies in: "day=2016-05-01/part-0.parquet" is in 2016-05-01 for "day"; null if it is not in one. */
export function partitionValue(name: string, column: string): string | null {
  const directory = name.includes("/") ? name.slice(0, name.indexOf("/")) : null;
  if (!directory?.startsWith(`${column}=`)) return null;
  // Spark escapes characters like ':' and '/' in partition values as %XX.
  return directory.slice(column.length + 1).replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Whether the output is partitioned as the check asks: part files in `column=value/`
 * directories and none beside them. `otherDirectories` are the output's subdirectories that are
 * not such partitions (hour=…, say), named in the feedback. Null when it is, else the failed verdict.
 */
export function partitioningVerdict<F extends { name: string }>(
  files: readonly F[],
  check: SparkOutputCheck,
  otherDirectories: readonly string[] = [],
): CheckVerdict | null {
  const column = check.partitionedBy;
  if (!column) return null;
  const outside = files.filter((file) => partitionValue(file.name, column) === null);
  if (outside.length === files.length) {
    const found =
      otherDirectories.length > 0
        ? `it has ${otherDirectories.slice(0, 2).join(", ")}${otherDirectories.length > 2 ? " …" : ""} instead`
        : "its part files lie directly in it";
    return failed(
      "not-partitioned",
      `${check.path} is not partitioned by ${column}: no ${column}=… directories (${found}). This step asks for output written with .partitionBy("${column}"), one ${column}=<value> directory per ${column}.`,
    );
  }
  const [first] = outside;
  if (first) {
    return failed(
      "not-partitioned",
      `${check.path}/${first.name} is not in a ${column}=… directory, while other part files are: every part file of output partitioned by ${column} lies in the directory of its ${column}.`,
    );
  }
  return null;
}

/** Every row must lie in the partition directory of its own key: hour "2016-05-02 00" in day=2016-05-02. */
function checkRowPartition(row: OutputRow, check: SparkOutputCheck, computation: GradingComputation): void {
  const column = check.partitionedBy;
  const partitionOf = column ? computation.partitions?.[column] : undefined;
  if (!column || !partitionOf) return;
  const actual = partitionValue(row.where, column);
  const expected = partitionOf(row.key);
  if (actual !== expected) {
    throw new CheckFailure(
      "wrong-partition",
      `The row for ${computation.keyColumn} ${row.key} is in ${row.where}; it belongs in ${column}=${expected}, the ${column} of its ${computation.keyColumn}. Partition by the ${column} of each row's own ${computation.keyColumn}.`,
    );
  }
}

export function parseOutputRows(files: readonly PartFile[], check: SparkOutputCheck, computation: GradingComputation): OutputRow[] {
  const rows = files.flatMap((file) => {
    if (check.format === "parquet") return parquetRows(file, computation);
    return check.format === "csv" ? csvRows(file, computation) : jsonRows(file, computation);
  });
  for (const row of rows) checkRowPartition(row, check, computation);
  return rows;
}

const formatNames = { csv: "CSV", json: "JSON lines", parquet: "Parquet" } as const;

/** What a part file's bytes look like: Parquet begins and ends with "PAR1"; text is JSON lines or CSV. */
export function sniffFormat(bytes: Uint8Array): SparkOutputCheck["format"] | "unknown" {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && ascii(0, 4) === "PAR1" && ascii(bytes.length - 4, bytes.length) === "PAR1") return "parquet";
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("utf8");
  // Text has no control characters but tab, newline and carriage return; snappy, ORC or Avro bytes do.
  if (bytes.subarray(0, 4096).some((byte) => byte < 9 || (byte > 13 && byte < 32))) return "unknown";
  const firstLine = head.trimStart().split(/\r?\n/)[0] ?? "";
  if (firstLine.startsWith("{")) return "json";
  return firstLine.includes(",") ? "csv" : "unknown";
}

/**
 * A part file in another format than the check asks for ("holds CSV, this step asks for
 * Parquet"), by its bytes, not its name. Empty files say nothing. Null when the format fits.
 */
export function formatVerdict(name: string, bytes: Uint8Array, check: SparkOutputCheck): CheckVerdict | null {
  if (bytes.length === 0) return null;
  const sniffed = sniffFormat(bytes);
  if (sniffed === check.format || (sniffed === "unknown" && check.format !== "parquet")) return null;
  const holds = sniffed === "unknown" ? "does not hold Parquet (a Parquet file begins and ends with PAR1)" : `holds ${formatNames[sniffed]}`;
  const how = { csv: ".write.csv(…, header=True)", json: ".write.json(…)", parquet: ".write.parquet(…)" }[check.format];
  return failed("wrong-format", `${check.path}/${name} ${holds}, this step asks for ${formatNames[check.format]}: write it with ${how}.`);
}

/** Three decimals: enough to see a difference beyond a 0.01 tolerance, short enough to read. */
const shown = (value: number) => String(Number(value.toFixed(3)));

function sample(keys: readonly string[]): string {
  const more = keys.length > 1 ? ` (and ${keys.length - 1} more)` : "";
  return `"${keys[0]}"${more}`;
}

/** How a row is known: by its key, and by its sensor too in a result per sensor. */
const identity = (row: { key: string; sensor?: string }) => (row.sensor === undefined ? row.key : `${row.sensor} ${row.key}`);

/**
 * A result per sensor that lacks a sensor, or has one the pipeline does not: said by sensor,
 * with where the missing sensor's readings come from (your own, or only in Kafka), rather than
 * as hundreds of missing rows. Null when the sensors are the expected ones.
 */
function sensorsVerdict(rows: readonly OutputRow[], expected: readonly ComputedRow[], sensors: readonly SensorSeries[]): CheckVerdict | null {
  const expectedSensors = [...new Set(expected.map((row) => row.sensor ?? ""))];
  const actualSensors = new Set(rows.map((row) => row.sensor ?? ""));
  const missing = expectedSensors.filter((sensor) => !actualSensors.has(sensor));
  const unknown = [...actualSensors].filter((sensor) => !expectedSensors.includes(sensor)).sort();
  if (missing.length === 0 && unknown.length === 0) return null;
  const parts = missing.map((sensor) => {
    const origin = sensors.find((series) => series.sensor === sensor)?.origin;
    return `Your output has no rows of sensor ${sensor}${origin ? `, whose readings ${origin}` : ""}.`;
  });
  if (unknown.length > 0) {
    const them = unknown.length === 1 ? `Sensor ${unknown[0]} is` : `Sensors ${unknown.join(", ")} are`;
    parts.push(`${them} none of the pipeline's (${expectedSensors.join(", ")}).`);
  }
  return failed(missing.length > 0 ? "missing-sensor" : "unknown-sensor", parts.join(" "));
}

/** The learner's rows against the grader's own: same keys (and sensors), one row each, values within the tolerance. */
export function compareRows(
  rows: readonly OutputRow[],
  expected: readonly ComputedRow[],
  check: Pick<SparkOutputCheck, "path" | "tolerance">,
  computation: GradingComputation,
  /** Every sensor of the pipeline, for a result per sensor: where a missing sensor's readings come from. */
  sensors: readonly SensorSeries[] = [],
): CheckVerdict {
  const unit = computation.keyColumn;
  const perSensor = computation.sensorColumn !== undefined;
  const label = (row: { key: string; sensor?: string }) => (row.sensor === undefined ? row.key : `sensor ${row.sensor}, ${unit} ${row.key}`);
  if (rows.length === 0) return failed("no-rows", `${check.path} has no rows: its part files are empty.`);
  const actual = new Map<string, number>();
  for (const row of rows) {
    const id = identity(row);
    if (actual.has(id))
      return failed(
        "duplicate-key",
        `Your output has more than one row for ${perSensor ? label(row) : `${unit} ${row.key}`} (seen again in ${row.where}).`,
      );
    actual.set(id, row.value);
  }
  if (perSensor) {
    const verdict = sensorsVerdict(rows, expected, sensors);
    if (verdict) return verdict;
  }
  const expectedIds = new Set(expected.map(identity));
  const unexpected = [...actual.keys()].filter((id) => !expectedIds.has(id)).sort();
  const missing = expected.filter((row) => !actual.has(identity(row))).map(identity);
  if (unexpected.length > 0 || missing.length > 0) {
    const what = perSensor ? `sensor and ${unit} of your pipeline` : `${unit} of your ${computation.wording?.records ?? "readings"}`;
    const example = perSensor ? `${expected[0]?.sensor ?? ""} ${computation.keyExample}` : computation.keyExample;
    const parts = [`Your output has ${plural(rows.length, "row")}; expected ${expected.length} rows, one per ${what} like "${example}".`];
    if (unexpected.length > 0) parts.push(`Not a ${what}: ${sample(unexpected)}.`);
    if (missing.length > 0) parts.push(`Missing: ${sample(missing)}.`);
    return failed("wrong-keys", parts.join(" "));
  }
  const wrong = expected.filter((row) => Math.abs((actual.get(identity(row)) ?? Number.NaN) - row.value) > check.tolerance);
  const first = wrong[0];
  if (first) {
    const share = wrong.length === expected.length ? `All ${expected.length}` : `${wrong.length} of the ${expected.length}`;
    const count = wrong.length > 1 ? ` ${share} rows are off by more than ${check.tolerance}.` : "";
    const meaning = computation.valueMeaning ?? `the average of your readings that ${unit}`;
    return failed(
      "mismatch",
      `For ${label(first)} your output has ${shown(actual.get(identity(first)) ?? Number.NaN)}; ${meaning} is ${shown(first.value)}.${count}`,
    );
  }
  if (perSensor) {
    const counts = new Map<string, number>();
    for (const row of expected) counts.set(row.sensor ?? "", (counts.get(row.sensor ?? "") ?? 0) + 1);
    const bySensor = [...counts].map(([sensor, n]) => `${n} of sensor ${sensor}`).join(", ");
    return passed(`All ${plural(expected.length, "row")} match the grader's own, ${bySensor} (within ±${check.tolerance}).`);
  }
  const { records, values } = computation.wording ?? { records: "readings", values: "averages" };
  return passed(`All ${plural(expected.length, unit)} match the ${values} of your ${records} (within ±${check.tolerance}).`);
}
