import type { ComputedRow, GradingComputation, SparkOutputCheck } from "@cookbook/content/labs";
import { CheckFailure } from "../check-failure";
import { failed, passed, plural, quote, type CheckVerdict } from "./verdict";

/** One part file of a Spark output directory. */
export interface PartFile {
  name: string;
  text: string;
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

export function parseOutputRows(files: readonly PartFile[], check: SparkOutputCheck, computation: GradingComputation): OutputRow[] {
  return files.flatMap((file) => (check.format === "csv" ? csvRows(file, computation) : jsonRows(file, computation)));
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
