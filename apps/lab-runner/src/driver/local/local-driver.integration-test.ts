import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxStatus } from "../sandbox-driver";
import { LocalSandboxDriver } from "./local-driver";
import { installLabSoftware, sweepKilledRuns, testLabSoftware } from "../../testing/test-sandboxes";
import { cpuSecondsOf, processesUnder, processMentions } from "./process-tree";
import { sandboxLayout } from "./sandbox-layout";
import { readSandboxState } from "./sandbox-state";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const repoRoot = path.resolve(appDir, "../..");
/** Own base dir per run, so a crashed earlier run can never be mistaken for this one's sandboxes. */
const baseDir = path.join(repoRoot, ".cache", `sandboxes-test-${process.pid}`);
const driver = new LocalSandboxDriver({ baseDir, software: testLabSoftware });
const full = { sandboxId: "full", services: ["kafka", "hdfs", "spark"] as const, seed: "it" };
const minutes = (n: number) => n * 60_000;

function bootstrapOf(status: SandboxStatus | null): string {
  const servers = status?.endpoints.kafkaBootstrapServers;
  if (!servers) throw new Error("no kafka endpoint");
  return servers;
}

async function webHdfs(status: SandboxStatus | null, pathAndQuery: string): Promise<unknown> {
  const base = status?.endpoints.webHdfsUrl;
  if (!base) throw new Error("no webhdfs endpoint");
  const response = await fetch(`${base}${pathAndQuery}`);
  expect(response.status).toBe(200);
  return response.json();
}

async function run(sandboxId: string, script: string, timeoutMs = 60_000) {
  const result = await driver.exec(sandboxId, ["bash", "-euc", script], { timeoutMs });
  expect(result, `${script}\n${result.stderr}`).toMatchObject({ exitCode: 0, timedOut: false });
  return result.stdout;
}

// The contract every driver keeps (conflicts, unknown ids, a second destroy) is in
// local-driver.conformance.integration-test.ts; these cases are the local driver's own.
describe("LocalSandboxDriver against real Kafka, HDFS and Spark", () => {
  beforeAll(async () => {
    installLabSoftware();
    await sweepKilledRuns();
  }, minutes(20));

  afterAll(async () => {
    for (const spec of await driver.list()) await driver.destroy(spec.sandboxId);
    rmSync(baseDir, { recursive: true, force: true });
  }, minutes(2));

  it(
    "provisions a full sandbox with every service ready",
    async () => {
      const started = Date.now();
      const status = await driver.provision({ ...full, services: [...full.services] });
      console.info(`full sandbox ready in ${(Date.now() - started) / 1000} s`);
      expect(status.services).toEqual({ kafka: { state: "ready" }, hdfs: { state: "ready" }, spark: { state: "ready" } });
      // The sandbox's own address in its network namespace, with the services' usual ports.
      expect(status.endpoints.kafkaBootstrapServers).toMatch(/^10\.213\.\d+\.\d+:9092$/);
      expect(status.endpoints.hdfsUri).toMatch(/^hdfs:\/\/10\.213\.\d+\.\d+:8020$/);
      console.info(`full sandbox idle RSS ${(driver.residentMemoryBytes("full") / 2 ** 20).toFixed(0)} MiB`);
    },
    minutes(5),
  );

  it(
    "provisions idempotently, keeping its servers and network, also from a restarted driver",
    async () => {
      const before = readSandboxState(sandboxLayout(path.join(baseDir, "full")).stateFile);
      const again = await driver.provision({ ...full, services: ["spark", "hdfs", "kafka"] });
      const after = readSandboxState(sandboxLayout(path.join(baseDir, "full")).stateFile);
      expect(Object.values(again.services).every((s) => s.state === "ready")).toBe(true);
      expect(after?.servers.map((s) => s.pid)).toEqual(before?.servers.map((s) => s.pid));
      expect(after?.network).toEqual(before?.network);
      // A restarted lab-runner (a fresh driver) finds the sandbox on disk and adopts its servers.
      const restarted = new LocalSandboxDriver({ baseDir, software: testLabSoftware });
      expect((await restarted.status("full"))?.services).toEqual(again.services);
      await restarted.provision({ ...full, services: [...full.services] });
      expect(readSandboxState(sandboxLayout(path.join(baseDir, "full")).stateFile)?.servers).toEqual(after?.servers);
    },
    minutes(2),
  );

  it(
    "creates a topic, produces and consumes through the exec'd Kafka CLI wrappers",
    async () => {
      await run("full", 'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic orders --partitions 2');
      expect(await run("full", 'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list')).toContain("orders");
      const produced = await driver.exec(
        "full",
        ["kafka-console-producer.sh", "--bootstrap-server", bootstrapOf(await driver.status("full")), "--topic", "orders"],
        { stdin: "one\ntwo\nthree\n" },
      );
      expect(produced.exitCode, produced.stderr).toBe(0);
      const consumed = await run(
        "full",
        'kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic orders --group it --from-beginning --max-messages 3 --timeout-ms 30000',
      );
      expect(consumed.trim().split("\n").sort()).toEqual(["one", "three", "two"]);
      expect(await run("full", 'kafka-consumer-groups.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --describe --group it')).toContain("orders");
    },
    minutes(2),
  );

  it(
    "stores a file with 1 MiB blocks in HDFS, visible over WebHDFS",
    async () => {
      await run(
        "full",
        "head -c 2621440 /dev/urandom > blob.bin && hdfs dfs -mkdir -p /lab && hdfs dfs -D dfs.blocksize=1048576 -put blob.bin /lab/blob.bin",
      );
      const status = await driver.status("full");
      const file = (await webHdfs(status, "/lab/blob.bin?op=GETFILESTATUS")) as {
        FileStatus: { blockSize: number; replication: number; length: number };
      };
      expect(file.FileStatus).toMatchObject({ blockSize: 1048576, replication: 1, length: 2621440 });
      const blocks = (await webHdfs(status, "/lab/blob.bin?op=GETFILEBLOCKLOCATIONS")) as { BlockLocations: { BlockLocation: unknown[] } };
      expect(blocks.BlockLocations.BlockLocation).toHaveLength(3);
    },
    minutes(2),
  );

  it(
    "runs a PySpark job with spark-submit that reads from and writes to the sandbox's HDFS",
    async () => {
      const job = [
        "from pyspark.sql import SparkSession",
        "spark = SparkSession.builder.appName('word-count').getOrCreate()",
        "words = spark.read.text('/lab/words.txt').selectExpr(\"explode(split(value, ' ')) AS word\")",
        "words.groupBy('word').count().orderBy('word').write.mode('overwrite').csv('/lab/word-count')",
        "spark.stop()",
      ].join("\n");
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, driver.residentMemoryBytes("full"))), 250);
      try {
        await run(
          "full",
          `printf 'to be or not to be\\n' > words.txt && hdfs dfs -put -f words.txt /lab/words.txt
         cat > word_count.py <<'EOF'\n${job}\nEOF
         spark-submit word_count.py`,
          minutes(3),
        );
      } finally {
        clearInterval(sampler);
      }
      console.info(`full sandbox peak RSS during the Spark job ${(peak / 2 ** 20).toFixed(0)} MiB`);
      const listing = (await webHdfs(await driver.status("full"), "/lab/word-count?op=LISTSTATUS")) as {
        FileStatuses: { FileStatus: { pathSuffix: string }[] };
      };
      expect(listing.FileStatuses.FileStatus.map((f) => f.pathSuffix)).toContain("_SUCCESS");
      const rows = (await run("full", "hdfs dfs -cat '/lab/word-count/part-*'")).trim().split("\n").sort();
      expect(rows).toEqual(["be,2", "not,1", "or,1", "to,2"]);
      expect(peak).toBeLessThan(1.6 * 2 ** 30);
    },
    minutes(4),
  );

  it(
    "tells the learner's running jobs from its services: CPU of its programs, a Spark application, a consumer group's members",
    async () => {
      const before = await driver.activity("full");
      expect(before).toMatchObject({ runningSparkApplications: 0, activeConsumerGroups: [] });
      // The servers have used many CPU seconds by now; none of them is the learner's.
      const everything = processesUnder(sandboxLayout(path.join(baseDir, "full")).root).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
      expect(everything - (before?.learnerCpuSeconds ?? 0)).toBeGreaterThan(10);
      const job = [
        "from pyspark.sql import SparkSession",
        "import time",
        "spark = SparkSession.builder.appName('long-job').getOrCreate()",
        "time.sleep(120)",
      ];
      // Started as a terminal's background jobs are: their own sessions, in the workspace.
      const groups = (
        await run(
          "full",
          `kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic job-watch --partitions 1 >/dev/null
           cat > long_job.py <<'EOF'\n${job.join("\n")}\nEOF
           setsid timeout 150 python3 long_job.py >/dev/null 2>&1 < /dev/null & spark=$!
           setsid timeout 150 kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic job-watch --group job-watch >/dev/null 2>&1 < /dev/null & consumer=$!
           # exec kills this shell's process group when it exits: wait until both have left it for sessions of their own.
           for pid in $spark $consumer; do until [ "$(cut -d' ' -f6 /proc/$pid/stat)" = "$pid" ]; do sleep 0.05; done; done
           echo $spark; echo $consumer`,
        )
      )
        .trim()
        .split("\n");
      try {
        await expect
          .poll(async () => await driver.activity("full"), { timeout: minutes(2), interval: 1000 })
          .toMatchObject({ runningSparkApplications: 1, activeConsumerGroups: ["job-watch"] });
        const during = await driver.activity("full");
        // Two JVMs started: seconds of CPU, counted as the learner's.
        expect((during?.learnerCpuSeconds ?? 0) - (before?.learnerCpuSeconds ?? 0)).toBeGreaterThan(2);
      } finally {
        await run("full", `kill -TERM -- ${groups.map((pid) => `-${pid}`).join(" ")} 2>/dev/null || true`);
      }
      await expect
        .poll(async () => await driver.activity("full"), { timeout: minutes(1), interval: 1000 })
        .toMatchObject({ runningSparkApplications: 0, activeConsumerGroups: [] });
      expect(await driver.activity("no-such-sandbox")).toBeNull();
    },
    minutes(4),
  );

  it(
    "keeps two sandboxes' Kafka topics apart",
    async () => {
      const other = await driver.provision({ sandboxId: "other", services: ["kafka"] });
      expect(other.services.kafka).toEqual({ state: "ready" });
      expect(bootstrapOf(other)).not.toBe(bootstrapOf(await driver.status("full")));
      await run("other", 'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic only-in-other');
      const listTopics = 'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list';
      const inOther = await run("other", listTopics);
      const inFull = await run("full", listTopics);
      expect(inOther).toContain("only-in-other");
      expect(inOther).not.toContain("orders");
      expect(inFull).not.toContain("only-in-other");
    },
    minutes(3),
  );

  it(
    "reports a crashed broker as failed, and provision brings it back with its data",
    async () => {
      const state = readSandboxState(sandboxLayout(path.join(baseDir, "other")).stateFile);
      const broker = state?.servers.find((server) => server.role === "broker");
      if (!broker) throw new Error("no broker recorded");
      process.kill(broker.pid, "SIGKILL");
      await expect.poll(async () => (await driver.status("other"))?.services.kafka?.state).toBe("failed");
      const failed = (await driver.status("other"))?.services.kafka;
      expect(failed).toMatchObject({ reason: "broker exited (signal SIGKILL)" });
      expect(failed?.state === "failed" && failed.logTail).toContain("Kafka Server started");
      const revived = await driver.provision({ sandboxId: "other", services: ["kafka"] });
      expect(revived.services.kafka).toEqual({ state: "ready" });
      expect(await run("other", 'kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list')).toContain("only-in-other");
    },
    minutes(2),
  );

  it(
    "kills a command that outlives its exec timeout, with its children",
    async () => {
      const result = await driver.exec("other", ["bash", "-c", "sleep 300 & sleep 300"], { timeoutMs: 1000 });
      expect(result).toMatchObject({ exitCode: null, timedOut: true });
      expect(processesUnder(path.join(baseDir, "other")).filter((pid) => !processMentions(pid, "kafka"))).toEqual([]);
    },
    minutes(1),
  );

  it(
    "destroys sandboxes without leaving a process, a network namespace, a link or a directory",
    async () => {
      for (const sandboxId of ["full", "other"]) {
        const dir = path.join(baseDir, sandboxId);
        const state = readSandboxState(sandboxLayout(dir).stateFile);
        if (!state) throw new Error(`no state for ${sandboxId}`);
        // A learner's stray background job must go too.
        await driver.exec(sandboxId, ["bash", "-c", "setsid sleep 300 > /dev/null 2>&1 < /dev/null &"]);
        await driver.destroy(sandboxId);
        expect(processesUnder(dir)).toEqual([]);
        expect(state.servers.filter((server) => processMentions(server.pid, dir))).toEqual([]);
        expect(existsSync(`/run/netns/${state.network.netns}`)).toBe(false);
        expect(existsSync(`/sys/class/net/${state.network.hostInterface}`)).toBe(false);
        expect(existsSync(dir)).toBe(false);
        expect(await driver.status(sandboxId)).toBeNull();
      }
      expect(await driver.list()).toEqual([]);
    },
    minutes(2),
  );
});
