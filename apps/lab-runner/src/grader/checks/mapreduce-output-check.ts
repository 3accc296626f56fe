import { findComputation, type MapReduceOutputCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { missingPathVerdict } from "./hdfs-path-check";
import { isMapReduceJob, jobLogVerdict, mapReduceProvenance, textOutputRows } from "./mapreduce-output";
import { isPartFile, maxOutputBytes } from "./spark-output-check";
import { compareRows } from "./spark-output-rows";
import { failed, passed, plural, type CheckVerdict } from "./verdict";

/**
 * Reads a MapReduce job's output (part files in HDFS), checks with the NameNode's audit log that
 * the job wrote and committed it, compares it with the grader's own computation over the
 * learner's dataset and, with `jobLog`, checks the job's saved console output and counters.
 */
export async function checkMapReduceOutput(
  check: MapReduceOutputCheck,
  session: GradingSession,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<CheckVerdict> {
  const computation = findComputation(check.expected);
  if (!computation) throw new CheckFailure("unknown-result", `This lab asks for an unknown result "${check.expected}".`);
  const hdfs = session.webHdfs(signal);
  const status = await hdfs.fileStatus(check.path);
  if (!status) return missingPathVerdict(hdfs, check.path, "HDFS directory");
  if (status.type !== "DIRECTORY")
    return failed("not-a-directory", `${check.path} is a file; a MapReduce job writes a directory of part files there.`);
  const parts = ((await hdfs.listStatus(check.path)) ?? []).filter((entry) => entry.type === "FILE" && isPartFile(entry.pathSuffix));
  if (parts.length === 0)
    return failed("no-part-files", `${check.path} has no part files (part-…): it is not the output of a MapReduce job that finished.`);
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  if (size > maxOutputBytes) throw new CheckFailure("too-large", `${check.path} holds ${size} bytes of part files: far more than averages need.`);
  const job = mapReduceProvenance(
    check,
    await session.hdfsAuditLog(signal),
    parts.map((part) => part.pathSuffix),
  );
  if (!isMapReduceJob(job)) return job;
  const files = await Promise.all(
    parts.map(async (part) => ({ name: part.pathSuffix, text: (await hdfs.read(`${check.path}/${part.pathSuffix}`)).toString("utf8") })),
  );
  const expected = computation.compute(session.computationInput());
  const comparison = compareRows(textOutputRows(files, computation), expected, check, computation);
  if (!comparison.passed) return comparison;
  if (check.jobLog) {
    const dataset = session.learnerDataset();
    const inputLines = dataset.content.split("\n").filter((line) => line !== "").length;
    const log = await session.workspaceFile(check.jobLog, timeoutMs);
    const verdict = jobLogVerdict(check, check.jobLog, log, job, { inputLines, keys: expected.length }, computation);
    if (verdict) return verdict;
  }
  const counters = check.jobLog ? `, and the counters in ${check.jobLog} agree` : "";
  return passed(`${comparison.detail} Written by ${plural(job.reduceTasks, "reduce task")} of ${job.id} and committed by it${counters}.`);
}
