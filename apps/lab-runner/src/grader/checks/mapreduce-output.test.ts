import { findComputation, type MapReduceOutputCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../check-failure";
import { parseAuditLine } from "./hdfs-provenance";
import { isMapReduceJob, jobLogVerdict, mapReduceProvenance, textOutputRows, type MapReduceJob } from "./mapreduce-output";
import type { CheckVerdict } from "./verdict";

/**
 * Audit lines as Hadoop 3.5's NameNode writes them with dfs.namenode.audit.log.with.remote.port
 * on, from real runs of `mapred streaming` (the local job runner) and `hdfs dfs` in a sandbox.
 */
const line = (cmd: string, src: string, port: number | null, extra: { dst?: string; proto?: string; context?: string } = {}) =>
  [
    "allowed=true",
    "ugi=root (auth:SIMPLE)",
    "ip=/10.213.0.10",
    `cmd=${cmd}`,
    `src=${src}`,
    `dst=${extra.dst ?? "null"}`,
    "perm=root:supergroup:rw-r--r--",
    `proto=${extra.proto ?? "rpc"}`,
    `callerContext=${[extra.context ?? "CLI", port === null ? [] : [`clientPort:${port}`]].flat().join(",")}`,
  ].join("\t");

const input = "/data/iot/sensor-readings.csv";
const out = "/data/iot/daily-averages";
const job = "job_local1809518306_0001";
const attempt = (type: "m" | "r", task: number) => `attempt_local1809518306_0001_${type}_${String(task).padStart(6, "0")}_0`;
const work = (type: "m" | "r", task: number) => `${out}/_temporary/0/_temporary/${attempt(type, task)}`;
const jobPort = 49706;

const upload = [line("create", `${input}._COPYING_`, 49690), line("rename", `${input}._COPYING_`, 49690, { dst: input })];

/** A streaming job with `reducers` reduce tasks, committed with FileOutputCommitter's default algorithm (2). */
const streamingJob = (reducers = 1, type: "m" | "r" = "r") => [
  line("open", input, jobPort),
  line("mkdirs", `${out}/_temporary/0`, jobPort),
  line("open", input, jobPort),
  ...Array.from({ length: reducers }, (_, task) => {
    const part = `part-${String(task).padStart(5, "0")}`;
    return [
      line("create", `${work(type, task)}/${part}`, jobPort),
      line("rename", `${work(type, task)}/${part}`, jobPort, { dst: `${out}/${part}` }),
    ];
  }).flat(),
  line("delete", `${out}/_temporary`, jobPort),
  line("create", `${out}/_SUCCESS`, jobPort),
];

const check: MapReduceOutputCheck = { kind: "mapreduce-output", path: out, input, expected: "daily-averages", tolerance: 0.01 };
const parts = (n: number) => Array.from({ length: n }, (_, task) => `part-${String(task).padStart(5, "0")}`);

function provenance(lines: readonly string[], names = parts(1), options: Partial<MapReduceOutputCheck> = {}) {
  return mapReduceProvenance({ ...check, ...options }, [...upload, ...lines].join("\n"), names);
}

function verdictOf(result: MapReduceJob | CheckVerdict): CheckVerdict {
  if (isMapReduceJob(result)) throw new Error(`expected a failed verdict, got job ${result.id}`);
  return result;
}

describe("the audit log's connections", () => {
  it("takes the NameNode's clientPort off the caller context and names an RPC call's connection by it", () => {
    expect(parseAuditLine(line("create", "/a", 49706))).toEqual({
      cmd: "create",
      src: "/a",
      dst: null,
      callerContext: "CLI",
      connection: "10.213.0.10:49706",
    });
    // A Java program without ToolRunner sends no context: only the port is there.
    expect(parseAuditLine(line("open", "/a", 45712, { context: "" }).replace("callerContext=,", "callerContext="))).toMatchObject({
      callerContext: null,
      connection: "10.213.0.10:45712",
    });
    // A WebHDFS call's port is an HTTP client's, not a connection to the NameNode.
    expect(parseAuditLine(line("rename", "/a", 54168, { dst: "/b", proto: "webhdfs" }))?.connection).toBeUndefined();
    // Only the last clientPort is the NameNode's; a client could send one in its own context.
    expect(parseAuditLine(line("create", "/a", 40000, { context: "CLI,clientPort:49706" }))?.connection).toBe("10.213.0.10:40000");
  });
});

describe("a MapReduce job's output, by the audit log", () => {
  it("finds the job that wrote, committed and marked the output over the connection that read the input", () => {
    expect(provenance(streamingJob())).toEqual({ id: job, connection: `10.213.0.10:${jobPort}`, reduceTasks: 1 });
  });

  it("follows FileOutputCommitter's algorithm 1: the task's directory renamed, then its files moved by the job", () => {
    const taskDir = `${out}/_temporary/0/task_local1809518306_0001_r_000000`;
    const v1 = [
      line("open", input, jobPort),
      line("create", `${work("r", 0)}/part-00000`, jobPort),
      line("rename", work("r", 0), jobPort, { dst: taskDir }),
      line("rename", `${taskDir}/part-00000`, jobPort, { dst: `${out}/part-00000` }),
      line("delete", `${out}/_temporary`, jobPort),
      line("create", `${out}/_SUCCESS`, jobPort),
    ];
    expect(provenance(v1)).toMatchObject({ id: job, reduceTasks: 1 });
  });

  it("counts the reduce tasks that wrote part files", () => {
    expect(provenance(streamingJob(3), parts(3), { minReduceTasks: 3 })).toMatchObject({ reduceTasks: 3 });
    expect(verdictOf(provenance(streamingJob(1), parts(1), { minReduceTasks: 3 }))).toMatchObject({
      finding: "too-few-reducers",
      detail: expect.stringContaining(`was written by 1 reduce task of ${job}; this step asks for at least 3`),
    });
  });

  it("refuses part files put by hand, and names where they were created", () => {
    const byHand = [
      line("mkdirs", out, 60880),
      line("create", `${out}/part-00000._COPYING_`, 35966),
      line("rename", `${out}/part-00000._COPYING_`, 35966, { dst: `${out}/part-00000` }),
      line("create", `${out}/_SUCCESS`, 43008),
    ];
    expect(verdictOf(provenance(byHand))).toMatchObject({
      finding: "not-written-by-mapreduce",
      detail: expect.stringContaining(`was created as ${out}/part-00000._COPYING_, not by a MapReduce task in its attempt's directory`),
    });
  });

  it("refuses a task attempt's directory made by hand: the move into place is not the writer's", () => {
    const forged = [
      line("open", input, 41000),
      line("mkdirs", work("r", 0), 41002),
      line("create", `${work("r", 0)}/part-00000`, 41004),
      line("rename", `${work("r", 0)}/part-00000`, 41006, { dst: `${out}/part-00000` }),
      line("create", `${out}/_SUCCESS`, 41008),
    ];
    expect(verdictOf(provenance(forged))).toMatchObject({ finding: "moved-by-hand" });
    // Over WebHDFS the DataNode creates the file over its own connection, and the NameNode renames it.
    const overWebHdfs = [
      line("create", `${work("r", 0)}/part-00000`, 45710, { context: "" }),
      line("rename", `${work("r", 0)}/part-00000`, 54168, { dst: `${out}/part-00000`, proto: "webhdfs", context: "" }),
    ];
    expect(verdictOf(provenance(overWebHdfs))).toMatchObject({ finding: "moved-by-hand" });
  });

  it("refuses a job's output moved into place with hdfs dfs -mv", () => {
    const scratch = "/tmp/out";
    const elsewhere = streamingJob().map((text) => text.replaceAll(out, scratch));
    const verdict = verdictOf(provenance([...elsewhere, line("rename", scratch, 59516, { dst: out })]));
    expect(verdict.finding).toBe("moved-by-hand");
    expect(verdict.detail).toContain(`then moved to ${out} by another client than the job (hdfs dfs -mv looks like that)`);
  });

  it("refuses a map-only job: no reduce phase averaged anything", () => {
    expect(verdictOf(provenance(streamingJob(1, "m")))).toMatchObject({
      finding: "map-only",
      detail: expect.stringContaining(`by map task ${attempt("m", 0)}: the job had no reduce phase`),
    });
  });

  it("refuses a job that did not read the input over its own connection", () => {
    const reading = streamingJob().filter((text) => !text.includes("cmd=open"));
    expect(verdictOf(provenance([line("open", input, 35078), ...reading]))).toMatchObject({
      finding: "input-not-read",
      detail: expect.stringContaining(`(${job}) never read ${input}`),
    });
  });

  it("asks for the _SUCCESS marker of the job's committer, not one touched by hand", () => {
    const unmarked = streamingJob().filter((text) => !text.includes("_SUCCESS"));
    expect(verdictOf(provenance(unmarked)).finding).toBe("no-success-marker");
    expect(verdictOf(provenance([...unmarked, line("create", `${out}/_SUCCESS`, 43008)]))).toMatchObject({
      finding: "marker-by-hand",
      detail: expect.stringContaining("hdfs dfs -touchz looks like that"),
    });
  });

  it("refuses part files of a Spark job, and bytes concatenated onto a job's part file", () => {
    const spark = streamingJob().map((text) =>
      text.replace("callerContext=CLI", "callerContext=SPARK_TASK_local-1796239690494_JId_1_SId_2_0_TId_1_0"),
    );
    expect(verdictOf(provenance(spark)).detail).toContain("by a task of Spark application local-1796239690494");
    const concatenated = [...streamingJob(), line("concat", "[/tmp/b]", 38000, { dst: `${out}/part-00000` })];
    expect(verdictOf(provenance(concatenated)).detail).toContain(`${out}/part-00000 was last changed by concat`);
  });
});

const daily = findComputation("daily-averages");
if (!daily) throw new Error("no daily-averages computation");

describe("a MapReduce job's text output", () => {
  it("reads key<TAB>value lines", () => {
    const rows = textOutputRows([{ name: "part-00000", text: "2016-06-12\t20.2311\n2016-06-13\t20.6313\n" }], daily);
    expect(rows).toEqual([
      { key: "2016-06-12", value: 20.2311, where: "part-00000" },
      { key: "2016-06-13", value: 20.6313, where: "part-00000" },
    ]);
  });

  it("says what a line should look like when it is not a key, a tab and a number", () => {
    expect(() => textOutputRows([{ name: "part-00000", text: "2016-06-12,20.2311\t\n" }], daily)).toThrow(CheckFailure);
    expect(() => textOutputRows([{ name: "part-00000", text: "2016-06-12,20.2311\n" }], daily)).toThrow(/expected day<TAB>average/);
  });
});

/** The console output of a real `mapred streaming … 2>&1 | tee daily-averages.log`, shortened. */
const jobLog = `2026-12-03 05:59:20,245 INFO mapreduce.Job: Running job: ${job}
2026-12-03 05:59:21,286 INFO mapreduce.Job: Job ${job} running in uber mode : false
2026-12-03 05:59:24,322 INFO mapreduce.Job:  map 100% reduce 100%
2026-12-03 05:59:24,323 INFO mapreduce.Job: Job ${job} completed successfully
2026-12-03 05:59:24,340 INFO mapreduce.Job: Counters: 36
\tFile System Counters
\t\tHDFS: Number of bytes read=1347872
\tMap-Reduce Framework
\t\tMap input records=25921
\t\tMap output records=25920
\t\tReduce input groups=3
\t\tReduce input records=25920
\t\tReduce output records=3
\t\tShuffled Maps =1
`;

describe("the job's saved console output", () => {
  const found: MapReduceJob = { id: job, connection: "10.213.0.10:49706", reduceTasks: 1 };
  const logCheck = { ...check, jobLog: "daily-averages.log" };
  const judge = (text: string | null, expected = { inputLines: 25921, keys: 3 }) =>
    jobLogVerdict(logCheck, "daily-averages.log", text, found, expected, daily);

  it("passes the run that wrote the output, its counters fitting the data", () => {
    expect(judge(jobLog)).toBeNull();
  });

  it("names a missing log, a failed run and another job's run", () => {
    expect(judge(null)?.finding).toBe("no-job-log");
    const failedRun = `2026-12-03 06:01:10,004 ERROR streaming.StreamJob: Error Launching job : Output directory hdfs://10.213.0.10:8020${out} already exists\nStreaming Command Failed!\n`;
    expect(judge(failedRun)).toMatchObject({
      finding: "log-of-failed-run",
      detail: expect.stringContaining(
        'holds no finished job; it says "2026-12-03 06:01:10,004 ERROR streaming.StreamJob: Error Launching job : Output directory',
      ),
    });
    expect(judge(jobLog.replaceAll(job, "job_local42_0001"))).toMatchObject({
      finding: "log-of-another-job",
      detail: expect.stringContaining(`is the console output of job_local42_0001, but ${out} was written by ${job}`),
    });
  });

  it("names a counter that does not fit the data, and missing counters", () => {
    expect(judge(jobLog, { inputLines: 25922, keys: 3 })).toMatchObject({
      finding: "counters-disagree",
      detail: expect.stringContaining("says Map input records=25921, but /data/iot/sensor-readings.csv has 25922 lines"),
    });
    expect(judge(jobLog, { inputLines: 25921, keys: 4 })?.detail).toContain("says Reduce input groups=3, but your readings have 4 days");
    expect(judge(jobLog.split("\tMap-Reduce")[0] ?? "")?.finding).toBe("no-counters");
  });
});
