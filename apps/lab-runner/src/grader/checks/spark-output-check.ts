import { gunzipSync } from "node:zlib";
import { findComputation, type SparkOutputCheck } from "@cookbook/content/labs";
import { parquetReadObjects } from "hyparquet";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import type { WebHdfsClient } from "../webhdfs-client";
import { missingPathVerdict } from "./hdfs-path-check";
import { fileOrigins, sparkApplicationsThatRead, sparkTaskApplication } from "./hdfs-provenance";
import { compareRows, formatVerdict, parseOutputRows, partitioningVerdict, type PartFile } from "./spark-output-rows";
import { failed, type CheckVerdict } from "./verdict";

/** More than this is not a few averages: refuse rather than download it. */
export const maxOutputBytes = 16 * 1024 * 1024;

export const isPartFile = (name: string) => name.startsWith("part-") && !name.endsWith(".crc");
const decode = (name: string, bytes: Buffer) => (name.endsWith(".gz") ? gunzipSync(bytes) : bytes);

/** More part files than this is not a few averages either (each is one WebHDFS read). */
const maxPartFiles = 2000;

/** A part file's bytes (gunzipped), named relative to the output directory. */
interface RawPartFile {
  name: string;
  bytes: Buffer;
}

type OutputListing = { kind: "missing" } | { kind: "file" } | { kind: "directory"; files: RawPartFile[]; otherDirectories: string[] };

/**
 * The part files of an output directory and, with `partitionedBy`, of its `column=value`
 * subdirectories (one level, as `.partitionBy(column)` writes them). `otherDirectories` are the
 * other subdirectories, not counting Spark's own `_temporary` and `.spark-staging-…`.
 */
async function hdfsListing(hdfs: WebHdfsClient, dir: string, partitionedBy: string | undefined): Promise<OutputListing> {
  const status = await hdfs.fileStatus(dir);
  if (!status) return { kind: "missing" };
  if (status.type !== "DIRECTORY") return { kind: "file" };
  const entries = (await hdfs.listStatus(dir)) ?? [];
  const parts = entries.filter((entry) => entry.type === "FILE" && isPartFile(entry.pathSuffix)).map((entry) => ({ name: entry.pathSuffix, entry }));
  const directories = entries.filter((entry) => entry.type === "DIRECTORY" && !/^[_.]/.test(entry.pathSuffix)).map((entry) => entry.pathSuffix);
  const partitions = partitionedBy ? directories.filter((name) => name.startsWith(`${partitionedBy}=`)) : [];
  for (const partition of partitions) {
    const inside = (await hdfs.listStatus(`${dir}/${partition}`)) ?? [];
    for (const entry of inside) {
      if (entry.type === "FILE" && isPartFile(entry.pathSuffix)) parts.push({ name: `${partition}/${entry.pathSuffix}`, entry });
    }
    if (parts.length > maxPartFiles)
      throw new CheckFailure("too-large", `${dir} holds more than ${maxPartFiles} part files: far more than averages need.`);
  }
  const size = parts.reduce((sum, part) => sum + part.entry.length, 0);
  if (size > maxOutputBytes) throw new CheckFailure("too-large", `${dir} holds ${size} bytes of part files: far more than averages need.`);
  const files: RawPartFile[] = [];
  // A few reads at a time: a partitioned output has a file per day and task.
  for (let i = 0; i < parts.length; i += 16) {
    const batch = parts.slice(i, i + 16);
    files.push(
      ...(await Promise.all(batch.map(async (part) => ({ name: part.name, bytes: decode(part.name, await hdfs.read(`${dir}/${part.name}`)) })))),
    );
  }
  return { kind: "directory", files, otherDirectories: directories.filter((name) => !partitions.includes(name)) };
}

/** Parquet rows with hyparquet (pure JS, snappy included); a file it cannot read is the learner's finding, not a grader bug. */
async function parquetRecords(check: SparkOutputCheck, file: RawPartFile): Promise<Record<string, unknown>[]> {
  const buffer = file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.byteLength) as ArrayBuffer;
  try {
    return await parquetReadObjects({ file: buffer });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CheckFailure("unreadable", `${check.path}/${file.name} is not a Parquet file the grader can read (${reason.slice(0, 120)}).`);
  }
}

/** The raw part files as the rows' parser wants them: text for CSV and JSON, read rows for Parquet. */
async function partFiles(check: SparkOutputCheck, raw: readonly RawPartFile[]): Promise<PartFile[]> {
  if (check.format !== "parquet") return raw.map((file) => ({ name: file.name, text: file.bytes.toString("utf8") }));
  const files: PartFile[] = [];
  for (const file of raw) files.push({ name: file.name, text: "", records: file.bytes.length === 0 ? [] : await parquetRecords(check, file) });
  return files;
}

/**
 * Whether Spark made the output, by the NameNode's audit log: every part file written by a Spark
 * task and, with an input, by an application whose tasks read it. That is evidence no file the
 * learner can write (a _SUCCESS marker, say) gives. Null when it holds, else the failed verdict.
 */
export function sparkProvenanceVerdict<F extends { name: string }>(
  check: SparkOutputCheck,
  auditLog: string,
  files: readonly F[],
  /** The input is not in HDFS (an earlier step not done): said so, rather than only that the job did not read it. */
  inputMissing = false,
): CheckVerdict | null {
  const origins = fileOrigins(auditLog);
  const writers = files.map((file) => {
    const origin = origins.get(`${check.path}/${file.name}`);
    return { name: file.name, recorded: origin !== undefined, application: sparkTaskApplication(origin ?? null) };
  });
  const foreign = writers.filter((writer) => writer.application === null);
  const [first] = foreign;
  if (first) {
    const how = first.recorded
      ? "was written by a client that is not a Spark task (hdfs dfs -put, WebHDFS or a copy look like that)"
      : "has no record of being written at all";
    const others = foreign.length > 1 ? ` (and ${foreign.length - 1} more part files)` : "";
    return failed(
      "not-written-by-spark",
      `HDFS says ${check.path}/${first.name}${others} ${how}. This step asks for the output of your Spark job: run it with spark-submit and let it write ${check.path} itself (with hadoop.caller.context.enabled left on, so HDFS records the Spark task).`,
    );
  }
  if (check.input) {
    const readers = sparkApplicationsThatRead(auditLog, check.input);
    const unread = writers.find((writer) => writer.application && !readers.has(writer.application));
    if (unread) {
      const why = inputMissing
        ? `, which does not exist in HDFS: it is made by an earlier step, so do that one first, then run this job on its output`
        : ". This step asks for a job that computes the result from your readings in HDFS, not one that writes numbers made elsewhere";
      return failed(
        "input-not-read",
        `The Spark application that wrote ${check.path}/${unread.name} (${unread.application}) never read ${check.input}${why}.`,
      );
    }
  }
  return null;
}

/**
 * Reads the learner's Spark output (part files in HDFS), checks with the NameNode that Spark
 * tasks wrote them, and compares them with the grader's own computation over the learner's dataset
 * (and, for a result per sensor, the seeded topics' readings).
 */
export async function checkSparkOutput(check: SparkOutputCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const computation = findComputation(check.expected);
  if (!computation) throw new CheckFailure("unknown-result", `This lab asks for an unknown result "${check.expected}".`);
  const hdfs = session.webHdfs(signal);
  const listing = await hdfsListing(hdfs, check.path, check.partitionedBy);
  if (listing.kind === "missing") return missingPathVerdict(hdfs, check.path, "HDFS directory");
  if (listing.kind === "file") return failed("not-a-directory", `${check.path} is a file; Spark writes a directory of part files there.`);
  if (listing.files.length === 0) {
    // Partitioned by another column (hour=… directories): say so rather than "no part files".
    const partitioning = listing.otherDirectories.length > 0 ? partitioningVerdict([], check, listing.otherDirectories) : null;
    if (partitioning) return partitioning;
    return failed("no-part-files", `${check.path} has no part files (part-…): it is not the output of a Spark job that finished.`);
  }
  const inputMissing = check.input !== undefined && (await hdfs.fileStatus(check.input)) === null;
  const provenance = sparkProvenanceVerdict(check, await session.hdfsAuditLog(signal), listing.files, inputMissing);
  if (provenance) return provenance;
  const partitioning = partitioningVerdict(listing.files, check, listing.otherDirectories);
  if (partitioning) return partitioning;
  for (const file of listing.files) {
    const wrongFormat = formatVerdict(file.name, file.bytes, check);
    if (wrongFormat) return wrongFormat;
  }
  const rows = parseOutputRows(await partFiles(check, listing.files), check, computation);
  const input = session.computationInput();
  return compareRows(rows, computation.compute(input), check, computation, input.sensors);
}
