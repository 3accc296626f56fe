import type { SparkOutputCheck } from "@cookbook/content/labs";
import { describe, expect, it } from "vitest";
import { fileOrigins, parseAuditLine, sparkApplicationsThatRead, sparkTaskApplication } from "./hdfs-provenance";
import { sparkProvenanceVerdict } from "./spark-output-check";

/** Lines as Hadoop 3.5's NameNode writes them (tab-separated), from a real run of the Spark lab. */
const line = (fields: Record<string, string>) =>
  ["allowed=true", "ugi=root (auth:SIMPLE)", "ip=/10.213.0.2", ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)].join("\t");
const app = "local-1796239690494";
const task = `SPARK_TASK_${app}_JId_1_SId_2_0_TId_1_0`;
const driver = `SPARK_DRIVER_${app}`;
const out = "/data/iot/daily-averages";
const part = "part-00000-e805afd3-6e34-44e4-b692-b853f705061e-c000.csv";
const attempt = `${out}/_temporary/0/_temporary/attempt_202612021928249041532134050168307_0002_m_000000_1`;
const taskDir = `${out}/_temporary/0/task_202612021928249041532134050168307_0002_m_000000`;
const ctx = (callerContext: string) => ({ dst: "null", perm: "root:supergroup:rw-r--r--", proto: "rpc", callerContext });

/** A Spark job reading the readings and committing one part file through FileOutputCommitter v1. */
const sparkJob = [
  line({ cmd: "open", src: "/data/iot/sensor-readings.csv", ...ctx(`SPARK_TASK_${app}_JId_0_SId_0_0_TId_0_0`) }),
  line({ cmd: "mkdirs", src: `${out}/_temporary/0`, ...ctx(driver) }),
  line({ cmd: "create", src: `${attempt}/${part}`, ...ctx(task) }),
  line({ cmd: "rename", src: attempt, ...ctx(task), dst: taskDir }),
  line({ cmd: "rename", src: `${taskDir}/${part}`, ...ctx(driver), dst: `${out}/${part}` }),
  line({ cmd: "delete", src: `${out}/_temporary`, ...ctx(driver) }),
  line({ cmd: "create", src: `${out}/_SUCCESS`, ...ctx(driver) }),
  line({ cmd: "delete", src: `${out}/.spark-staging-e805afd3`, ...ctx(driver) }).replace("allowed=true", "allowed=false"),
].join("\n");

/** awk's result put by hand, and an empty marker. */
const byHand = [
  line({ cmd: "create", src: `${out}/part-00000._COPYING_`, ...ctx("CLI") }),
  line({ cmd: "rename", src: `${out}/part-00000._COPYING_`, ...ctx("CLI"), dst: `${out}/part-00000` }),
  line({ cmd: "create", src: `${out}/_SUCCESS`, ...ctx("CLI") }),
].join("\n");

const check: SparkOutputCheck = {
  kind: "spark-output",
  path: out,
  input: "/data/iot/sensor-readings.csv",
  format: "csv",
  expected: "daily-averages",
  tolerance: 0.01,
};

describe("the NameNode's audit log", () => {
  it("parses a line into command, paths and caller context, and skips refused calls", () => {
    expect(parseAuditLine(line({ cmd: "rename", src: "/a", ...ctx("CLI"), dst: "/b" }))).toEqual({
      cmd: "rename",
      src: "/a",
      dst: "/b",
      callerContext: "CLI",
    });
    expect(parseAuditLine(line({ cmd: "create", src: "/a", dst: "null", proto: "webhdfs" }))).toEqual({
      cmd: "create",
      src: "/a",
      dst: null,
      callerContext: null,
    });
    expect(parseAuditLine(line({ cmd: "delete", src: "/a" }).replace("allowed=true", "allowed=false"))).toBeNull();
    expect(parseAuditLine("2026-12-02 19:27:28 some other log line")).toBeNull();
  });

  it("follows a file through the output committer's renames to the task that created it", () => {
    const origins = fileOrigins(sparkJob);
    expect(origins.get(`${out}/${part}`)).toBe(task);
    expect(origins.get(`${out}/_SUCCESS`)).toBe(driver);
    expect([...origins.keys()].filter((path) => path.includes("_temporary"))).toEqual([]);
    expect(sparkTaskApplication(task)).toBe(app);
    expect(sparkTaskApplication(driver)).toBeNull();
    expect(sparkTaskApplication("CLI")).toBeNull();
  });

  it("keeps a Spark file's origin when the learner moves its directory, and loses it on a copy", () => {
    const moved = `${sparkJob}\n${line({ cmd: "rename", src: out, ...ctx("CLI"), dst: "/data/iot/kept" })}`;
    expect(fileOrigins(moved).get(`/data/iot/kept/${part}`)).toBe(task);
    expect(fileOrigins(moved).has(`${out}/${part}`)).toBe(false);
    const copied = `${sparkJob}\n${line({ cmd: "create", src: `/data/iot/copy/${part}._COPYING_`, ...ctx("CLI") })}\n${line({ cmd: "rename", src: `/data/iot/copy/${part}._COPYING_`, ...ctx("CLI"), dst: `/data/iot/copy/${part}` })}`;
    expect(fileOrigins(copied).get(`/data/iot/copy/${part}`)).toBe("CLI");
  });

  it("moves a file into a directory that exists on a plain rename", () => {
    const log = [
      line({ cmd: "create", src: "/d/x", ...ctx("CLI") }),
      line({ cmd: "create", src: "/f", ...ctx(task) }),
      line({ cmd: "rename", src: "/f", ...ctx("CLI"), dst: "/d" }),
    ].join("\n");
    expect(Object.fromEntries(fileOrigins(log))).toEqual({ "/d/x": "CLI", "/d/f": task });
  });

  it("lists the Spark applications whose tasks read a file", () => {
    expect([...sparkApplicationsThatRead(sparkJob, "/data/iot/sensor-readings.csv")]).toEqual([app]);
    expect(sparkApplicationsThatRead(byHand, "/data/iot/sensor-readings.csv").size).toBe(0);
  });

  it("counts a read of any file under a directory as a read of the directory (a Parquet table), not of its siblings", () => {
    const readsTable = line({ cmd: "open", src: "/data/lake/readings/day=2016-05-01/part-00000.parquet", ...ctx(task) });
    expect([...sparkApplicationsThatRead(readsTable, "/data/lake/readings")]).toEqual([app]);
    expect(sparkApplicationsThatRead(readsTable, "/data/lake/read").size).toBe(0);
    expect(sparkApplicationsThatRead(readsTable, "/data/lake/readings/day=2016-05-02").size).toBe(0);
  });
});

describe("sparkProvenanceVerdict", () => {
  it("accepts part files a Spark task wrote in an application that read the input", () => {
    expect(sparkProvenanceVerdict(check, sparkJob, [{ name: part, text: "" }])).toBeNull();
  });

  it("refuses files put there by hand, whatever the marker says", () => {
    expect(sparkProvenanceVerdict(check, `${sparkJob}\n${byHand}`, [{ name: "part-00000", text: "" }])).toMatchObject({
      passed: false,
      finding: "not-written-by-spark",
      detail: expect.stringContaining("part-00000 was written by a client that is not a Spark task"),
    });
    expect(sparkProvenanceVerdict(check, "", [{ name: part, text: "" }])?.detail).toContain("has no record of being written at all");
  });

  it("refuses a Spark job that wrote numbers without reading the input", () => {
    const withoutRead = sparkJob.split("\n").slice(1).join("\n");
    expect(sparkProvenanceVerdict(check, withoutRead, [{ name: part, text: "" }])).toMatchObject({
      finding: "input-not-read",
      detail: expect.stringContaining(`(${app}) never read /data/iot/sensor-readings.csv`),
    });
    expect(sparkProvenanceVerdict({ ...check, input: undefined }, withoutRead, [{ name: part, text: "" }])).toBeNull();
  });

  it("says when the input the job should have read does not exist: an earlier step is missing", () => {
    const withoutRead = sparkJob.split("\n").slice(1).join("\n");
    expect(sparkProvenanceVerdict(check, withoutRead, [{ name: part, text: "" }], true)?.detail).toBe(
      `The Spark application that wrote ${out}/${part} (${app}) never read /data/iot/sensor-readings.csv, which does not exist in HDFS: it is made by an earlier step, so do that one first, then run this job on its output.`,
    );
  });
});

describe("part files nested in partition directories (partitionBy)", () => {
  const hourly = "/data/iot/hourly-df";
  const parquetPart = (n: string) => `part-0000${n}-7a8ad8c5-0b9e-4b1e-9d1e-2f4c1a3e5b6d.c000.snappy.parquet`;
  const jobTemp = `${hourly}/_temporary/0`;
  const attemptOf = (n: string) => `${jobTemp}/_temporary/attempt_202612022010119876543210987654321_0003_m_00000${n}_${n}`;
  const taskOf = (n: string) => `${jobTemp}/task_202612022010119876543210987654321_0003_m_00000${n}`;
  const taskCtx = (n: string) => ctx(`SPARK_TASK_${app}_JId_2_SId_3_0_TId_${n}_0`);
  /**
   * Two tasks, each writing a file into day=2016-05-01 and one into day=2016-05-02: the job
   * commit renames the first task's partition directories whole (as a real run of
   * spark-dataframes-and-sql's solution logged it), then merges the second task's files into
   * them one by one (FileOutputCommitter v1's mergePaths, when a directory exists already).
   */
  const partitionedJob = [
    line({ cmd: "open", src: "/data/iot/sensor-readings.csv", ...ctx(`SPARK_TASK_${app}_JId_0_SId_0_0_TId_0_0`) }),
    ...["1", "2"].flatMap((n) => [
      line({ cmd: "create", src: `${attemptOf(n)}/day=2016-05-01/${parquetPart(n)}`, ...taskCtx(n) }),
      line({ cmd: "create", src: `${attemptOf(n)}/day=2016-05-02/${parquetPart(n)}`, ...taskCtx(n) }),
      line({ cmd: "rename", src: attemptOf(n), ...taskCtx(n), dst: taskOf(n) }),
    ]),
    line({ cmd: "rename", src: `${taskOf("1")}/day=2016-05-01`, ...ctx(driver), dst: `${hourly}/day=2016-05-01` }),
    line({ cmd: "rename", src: `${taskOf("1")}/day=2016-05-02`, ...ctx(driver), dst: `${hourly}/day=2016-05-02` }),
    line({
      cmd: "rename",
      src: `${taskOf("2")}/day=2016-05-01/${parquetPart("2")}`,
      ...ctx(driver),
      dst: `${hourly}/day=2016-05-01/${parquetPart("2")}`,
    }),
    line({
      cmd: "rename",
      src: `${taskOf("2")}/day=2016-05-02/${parquetPart("2")}`,
      ...ctx(driver),
      dst: `${hourly}/day=2016-05-02/${parquetPart("2")}`,
    }),
    line({ cmd: "delete", src: `${hourly}/_temporary`, ...ctx(driver) }),
    line({ cmd: "create", src: `${hourly}/_SUCCESS`, ...ctx(driver) }),
  ].join("\n");
  const parquetCheck: SparkOutputCheck = { ...check, path: hourly, format: "parquet", partitionedBy: "day", expected: "hourly-averages" };
  const nested = ["1", "2"].flatMap((n) => [`day=2016-05-01/${parquetPart(n)}`, `day=2016-05-02/${parquetPart(n)}`]).map((name) => ({ name }));

  it("follows every nested part file through the committer's directory and file renames to its task", () => {
    const origins = fileOrigins(partitionedJob);
    for (const n of ["1", "2"]) {
      expect(origins.get(`${hourly}/day=2016-05-01/${parquetPart(n)}`)).toBe(taskCtx(n).callerContext);
      expect(origins.get(`${hourly}/day=2016-05-02/${parquetPart(n)}`)).toBe(taskCtx(n).callerContext);
    }
    expect([...origins.keys()].filter((path) => path.includes("_temporary"))).toEqual([]);
    expect(sparkProvenanceVerdict(parquetCheck, partitionedJob, nested)).toBeNull();
  });

  it("refuses nested part files copied by hand, naming the file under its partition", () => {
    const copy = "/data/iot/hourly-sql";
    const copied = [
      partitionedJob,
      line({ cmd: "create", src: `${copy}/day=2016-05-01/${parquetPart("1")}._COPYING_`, ...ctx("CLI") }),
      line({
        cmd: "rename",
        src: `${copy}/day=2016-05-01/${parquetPart("1")}._COPYING_`,
        ...ctx("CLI"),
        dst: `${copy}/day=2016-05-01/${parquetPart("1")}`,
      }),
    ].join("\n");
    expect(sparkProvenanceVerdict({ ...parquetCheck, path: copy }, copied, [{ name: `day=2016-05-01/${parquetPart("1")}` }])).toMatchObject({
      finding: "not-written-by-spark",
      detail: expect.stringContaining(`${copy}/day=2016-05-01/${parquetPart("1")} was written by a client that is not a Spark task`),
    });
  });
});
