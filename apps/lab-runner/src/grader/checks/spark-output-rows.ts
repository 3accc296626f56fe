import type { ComputedRow, GradingComputation, SparkOutputCheck } from "@cookbook/content/labs";
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

interface OutputRow {
  key: string;
  value: number;
  where: string;
}

const unquote = (field: string) => field.trim().replace(/^"(.*)"$/, "$1");
const isNumeric = (text: string) => text.trim() !== "" && Number.isFinite(Number(text));

/** CSV as Spark writes it: an optional header line per part file, then key,value lines. */
function csvRows(file: PartFile, computation: GradingComputation): OutputRow[] {
  const lines = file.text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const columns = `${computation.keyColumn},${computation.valueColumn}`;
  let keyIndex = 0;
  let valueIndex = 1;
  const first = lines[0]?.split(",").map(unquote);
  if (first && !isNumeric(first[1] ?? "")) {
    const names = first.map((name) => name.toLowerCase());
    keyIndex = names.indexOf(computation.keyColumn);
    valueIndex = names.indexOf(computation.valueColumn);
    if (keyIndex < 0 || valueIndex < 0) {
      throw new CheckFailure(
        "wrong-columns",
        `The first line of ${file.name} is ${quote(lines[0] ?? "")}; this step asks for the columns ${columns}.`,
      );
    }
    lines.shift();
  }
  return lines.map((line, i) => {
    const fields = line.split(",").map(unquote);
    const key = fields[keyIndex];
    const value = fields[valueIndex];
    if (key === undefined || value === undefined || !isNumeric(value)) {
      throw new CheckFailure(
        "malformed-row",
        `Line ${i + 1} of ${file.name} is ${quote(line)}: expected ${columns} with a number as ${computation.valueColumn}.`,
      );
    }
    return { key, value: Number(value), where: file.name };
  });
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
    if (typeof key !== "string" || typeof value !== "number") {
      throw new CheckFailure(
        "malformed-row",
        `Line ${i + 1} of ${file.name} is ${quote(line)}: expected a JSON object with a string "${computation.keyColumn}" and a number "${computation.valueColumn}".`,
      );
    }
    return { key, value, where: file.name };
  });
}

/** Parquet rows as hyparquet reads them: a string key column and a number (double, float, int or long) value column. */
function parquetRows(file: PartFile, computation: GradingComputation): OutputRow[] {
  return (file.records ?? []).map((record, i) => {
    const key = record[computation.keyColumn];
    const raw = record[computation.valueColumn];
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof key !== "string" || typeof value !== "number") {
      const columns = Object.keys(record).join(", ");
      throw new CheckFailure(
        "malformed-row",
        `Row ${i + 1} of ${file.name} has the columns ${columns || "(none)"} with ${computation.keyColumn} = ${describeValue(key)} and ${computation.valueColumn} = ${describeValue(raw)}: expected a string column "${computation.keyColumn}" (like "${computation.keyExample}") and a number column "${computation.valueColumn}".`,
      );
    }
    return { key, value, where: file.name };
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

/** The learner's rows against the grader's own: same keys, one row each, values within the tolerance. */
export function compareRows(
  rows: readonly OutputRow[],
  expected: readonly ComputedRow[],
  check: SparkOutputCheck,
  computation: GradingComputation,
): CheckVerdict {
  const unit = computation.keyColumn;
  if (rows.length === 0) return failed("no-rows", `${check.path} has no rows: its part files are empty.`);
  const actual = new Map<string, number>();
  for (const row of rows) {
    if (actual.has(row.key)) return failed("duplicate-key", `Your output has more than one row for ${unit} ${row.key} (seen again in ${row.where}).`);
    actual.set(row.key, row.value);
  }
  const expectedKeys = new Set(expected.map((row) => row.key));
  const unexpected = [...actual.keys()].filter((key) => !expectedKeys.has(key)).sort();
  const missing = expected.filter((row) => !actual.has(row.key)).map((row) => row.key);
  if (unexpected.length > 0 || missing.length > 0) {
    const parts = [
      `Your output has ${plural(rows.length, "row")}; expected ${expected.length} rows, one per ${unit} of your readings like "${computation.keyExample}".`,
    ];
    if (unexpected.length > 0) parts.push(`Not a ${unit} of your readings: ${sample(unexpected)}.`);
    if (missing.length > 0) parts.push(`Missing: ${sample(missing)}.`);
    return failed("wrong-keys", parts.join(" "));
  }
  const wrong = expected.filter((row) => Math.abs((actual.get(row.key) ?? Number.NaN) - row.value) > check.tolerance);
  const first = wrong[0];
  if (first) {
    const share = wrong.length === expected.length ? `All ${expected.length}` : `${wrong.length} of the ${expected.length}`;
    const count = wrong.length > 1 ? ` ${share} rows are off by more than ${check.tolerance}.` : "";
    return failed(
      "mismatch",
      `For ${first.key} your output has ${shown(actual.get(first.key) ?? Number.NaN)}; the average of your readings that ${unit} is ${shown(first.value)}.${count}`,
    );
  }
  return passed(`All ${plural(expected.length, unit)} match the averages of your readings (within ±${check.tolerance}).`);
}
