import type { GradingComputation, MapReduceOutputCheck } from "@cookbook/content/labs";
import { CheckFailure } from "../check-failure";
import { connectionsThatRead, fileHistories, sparkTaskApplication, type FileHistory } from "./hdfs-provenance";
import { isNumeric, type OutputRow } from "./spark-output-rows";
import { failed, plural, quote, type CheckVerdict } from "./verdict";

/**
 * Whether a MapReduce job made an output directory, by the NameNode's audit log. The local job
 * runner sends no caller context of its own (its calls carry the CLI's, like `hdfs dfs`), so the
 * evidence is the committer's protocol and the connection: a reduce task creates its part file in
 * its attempt's directory (`<out>/_temporary/0/_temporary/attempt_<job>_r_000000_0/`), the output
 * committer renames it into `<out>` and writes `_SUCCESS` when the job has finished, and all of
 * that, with the reading of the input, goes over the job's one connection to the NameNode.
 * Every `hdfs dfs` command is a JVM (and a connection) of its own, and WebHDFS renames are no RPC
 * calls, so a marker touched by hand or a part file put or moved by hand has another connection.
 */

/** A task attempt's directory in a created file's path, as FileOutputCommitter lays it out. */
const attemptPattern = /\/_temporary\/\d+\/_temporary\/(attempt_([A-Za-z0-9]+_\d+)_([mr])_(\d+)_\d+)\/[^/]+$/;

/** The job that wrote an output, as the audit log shows it. */
export interface MapReduceJob {
  /** "job_local1603981678_0001", as the job's console output names it. */
  id: string;
  connection: string;
  reduceTasks: number;
}

interface PartWriter {
  name: string;
  attempt: string;
  job: string;
  reduce: boolean;
  task: number;
  history: FileHistory;
  connection: string;
}

/** Each part file's writing task, or the failed verdict of the first one no MapReduce task wrote. */
function partWriters(path: string, histories: Map<string, FileHistory>, names: readonly string[]): PartWriter[] | CheckVerdict {
  const writers: PartWriter[] = [];
  for (const name of names) {
    const file = `${path}/${name}`;
    const history = histories.get(file);
    if (!history) return failed("not-written-by-mapreduce", `HDFS has no record of ${file} being written at all.`);
    const { made } = history;
    const application = sparkTaskApplication(made.callerContext);
    if (application) {
      return failed(
        "not-written-by-mapreduce",
        `HDFS says ${file} was written by a task of Spark application ${application}. This lab asks for a MapReduce job: run it with mapred streaming (or hadoop jar).`,
      );
    }
    const attempt = made.cmd === "create" ? attemptPattern.exec(made.src) : null;
    if (!attempt || !made.connection) {
      const how = made.cmd === "create" ? `was created as ${made.src}` : `was last changed by ${made.cmd.split(" ")[0]}`;
      return failed(
        "not-written-by-mapreduce",
        `HDFS says ${file} ${how}, not by a MapReduce task in its attempt's directory (…/_temporary/…/attempt_…/): hdfs dfs -put, WebHDFS or a copy look like that. This step asks for the output of your MapReduce job: let the job write ${path} itself.`,
      );
    }
    const [, id = "", job = "", type, task = "0"] = attempt;
    writers.push({ name, attempt: id, job: `job_${job}`, reduce: type === "r", task: Number(task), history, connection: made.connection });
  }
  return writers;
}

/** A move of a file by anything but the job itself: the committer's renames go over the job's connection. */
function movedByHand(writer: PartWriter): string | null {
  const move = writer.history.moves.find((event) => event.connection !== writer.connection);
  return move ? (move.dst ?? move.src) : null;
}

/**
 * The job that wrote the part files `names` of `check.path`, or the failed verdict saying why
 * no job did: not a MapReduce task, a map task (no reduce phase), moved by hand, not one job,
 * the input not read, no `_SUCCESS` from the job's committer, or fewer reduce tasks than asked.
 */
export function mapReduceProvenance(check: MapReduceOutputCheck, auditLog: string, names: readonly string[]): MapReduceJob | CheckVerdict {
  const histories = fileHistories(auditLog);
  const writers = partWriters(check.path, histories, names);
  if (!Array.isArray(writers)) return writers;
  const mapper = writers.find((writer) => !writer.reduce);
  if (mapper) {
    return failed(
      "map-only",
      `HDFS says ${check.path}/${mapper.name} was written by map task ${mapper.attempt}: the job had no reduce phase (-numReduceTasks 0). This step asks for the reduce phase to average each key's values.`,
    );
  }
  for (const writer of writers) {
    const movedTo = movedByHand(writer);
    if (movedTo) {
      return failed(
        "moved-by-hand",
        `${check.path}/${writer.name} was written by task ${writer.attempt}, then moved to ${movedTo} by another client than the job (hdfs dfs -mv looks like that). Run the job with -output ${check.path}, so that its output committer puts the part files there.`,
      );
    }
  }
  const [first] = writers;
  if (!first) throw new CheckFailure("no-part-files", `${check.path} has no part files.`);
  const other = writers.find((writer) => writer.job !== first.job || writer.connection !== first.connection);
  if (other) {
    return failed(
      "several-jobs",
      `The part files of ${check.path} come from more than one job (${first.name} from ${first.job}, ${other.name} from ${other.job}). Delete ${check.path} and let one job write it.`,
    );
  }
  if (!connectionsThatRead(auditLog, check.input).has(first.connection)) {
    return failed(
      "input-not-read",
      `The job that wrote ${check.path} (${first.job}) never read ${check.input}. This step asks for a job that computes the result from your readings in HDFS: give it -input ${check.input}.`,
    );
  }
  const marker = histories.get(`${check.path}/_SUCCESS`);
  if (!marker) {
    return failed(
      "no-success-marker",
      `${check.path} has no _SUCCESS marker: ${first.job} did not finish and commit its output (or mapreduce.fileoutputcommitter.marksuccessfuljobs was turned off). Run the job to its end.`,
    );
  }
  if (marker.made.connection !== first.connection || marker.moves.some((move) => move.connection !== first.connection)) {
    return failed(
      "marker-by-hand",
      `HDFS says ${check.path}/_SUCCESS was written by another client than ${first.job} (hdfs dfs -touchz looks like that). The marker counts when the job's output committer writes it, once every task has succeeded.`,
    );
  }
  const reduceTasks = new Set(writers.map((writer) => writer.task)).size;
  if (check.minReduceTasks !== undefined && reduceTasks < check.minReduceTasks) {
    return failed(
      "too-few-reducers",
      `${check.path} was written by ${plural(reduceTasks, "reduce task")} of ${first.job}; this step asks for at least ${check.minReduceTasks} running in parallel: -numReduceTasks ${check.minReduceTasks} (or -D mapreduce.job.reduces=${check.minReduceTasks}).`,
    );
  }
  return { id: first.job, connection: first.connection, reduceTasks };
}

export const isMapReduceJob = (result: MapReduceJob | CheckVerdict): result is MapReduceJob => "connection" in result;

/** TextOutputFormat's lines, as a Streaming reducer prints them: key, a tab, the value. */
export function textOutputRows(files: readonly { name: string; text: string }[], computation: GradingComputation): OutputRow[] {
  return files.flatMap((file) =>
    file.text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .map((line, i) => {
        const [key, value, ...rest] = line.split("\t");
        if (key === undefined || value === undefined || rest.length > 0 || !isNumeric(value)) {
          throw new CheckFailure(
            "malformed-row",
            `Line ${i + 1} of ${file.name} is ${quote(line)}: expected ${computation.keyColumn}<TAB>${computation.valueColumn}, the key, a tab and the value as a number (what a Streaming reducer prints, like "${computation.keyExample}\\t20.5").`,
          );
        }
        return { key, value: Number(value), where: file.name };
      }),
  );
}

/** What the job's counters must say of the learner's data. */
export interface ExpectedCounters {
  /** Lines of the input file, its header included: each is one map input record. */
  inputLines: number;
  /** Keys of the result: the reduce input groups, and one output record each. */
  keys: number;
}

const counterLine = /^\s+([A-Za-z][A-Za-z ]*?)=(\d+)\s*$/;

/**
 * The console output the learner saved (`2>&1 | tee <file>`) against the job the audit log
 * shows: it must be that job's run ("Job <id> completed successfully") and its counters must fit
 * the data. Null when they do. The learner writes the file, so this corroborates the audit log
 * and teaches the counters; it proves nothing alone.
 */
export function jobLogVerdict(
  check: MapReduceOutputCheck,
  file: string,
  text: string | null,
  job: MapReduceJob,
  expected: ExpectedCounters,
  computation: GradingComputation,
): CheckVerdict | null {
  if (text === null) {
    return failed(
      "no-job-log",
      `There is no ${file} in your home directory. Save the job's console output in it (… 2>&1 | tee ${file}): its counters are part of this step.`,
    );
  }
  const lines = text.split(/\r?\n/);
  const completed = lines.map((line) => /\bJob (job_\w+) completed successfully/.exec(line)?.[1]).filter((id) => id !== undefined);
  const at = lines.findIndex((line) => line.includes(`Job ${job.id} completed successfully`));
  if (at < 0) {
    const last = completed.at(-1);
    if (last) {
      return failed(
        "log-of-another-job",
        `${file} is the console output of ${last}, but ${check.path} was written by ${job.id}. Save the output of the run that wrote it.`,
      );
    }
    const error = lines.find((line) => /\bERROR\b|Exception|[Ff]ailed/.test(line));
    return failed(
      "log-of-failed-run",
      `${file} holds no finished job${error ? `; it says ${quote(error.trim(), 160)}` : ""}. Save the console output of the run that wrote ${check.path}: it ends with "Job ${job.id} completed successfully" and the job's counters.`,
    );
  }
  const counters = new Map<string, number>();
  for (const line of lines.slice(at + 1)) {
    if (/\bJob job_/.test(line)) break;
    const counter = counterLine.exec(line);
    if (counter?.[1] && counter[2]) counters.set(counter[1], Number(counter[2]));
  }
  const key = computation.keyColumn;
  const expectations: [string, number, string][] = [
    [
      "Map input records",
      expected.inputLines,
      `${check.input} has ${expected.inputLines} lines (the header included), and each line is one map input record`,
    ],
    [
      "Reduce input groups",
      expected.keys,
      `your readings have ${plural(expected.keys, key)}, and each reduce input group is one ${key} with all its values`,
    ],
    ["Reduce output records", expected.keys, `the reduce phase writes one average per ${key}, ${expected.keys} in all`],
  ];
  for (const [name, value, why] of expectations) {
    const found = counters.get(name);
    if (found === undefined) {
      return failed(
        "no-counters",
        `${file} has no "${name}" counter after "Job ${job.id} completed successfully": save the job's whole console output (2>&1), where Hadoop prints its counters.`,
      );
    }
    if (found !== value) return failed("counters-disagree", `${file} says ${name}=${found}, but ${why}.`);
  }
  return null;
}
