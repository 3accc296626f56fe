import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, closeSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hadoopJpmsOptions, smallJvmOptions } from "../src/driver/local/jvm";
import { kafkaAnswers } from "../src/driver/local/kafka-process";
import type { LabSoftware } from "../src/driver/local/lab-software";
import { allocatePorts, releasePorts } from "./loopback-ports";
import { killProcessGroup } from "../src/driver/local/process-tree";

/**
 * The baseline of the benchmark: each service started the way a person would with the same
 * jars, i.e. plain `java -cp … MainClass` commands and a minimal configuration, with nothing of
 * the driver (no state file, no wrappers). Readiness is the driver's own criterion (readiness.ts
 * and the *-process.ts probes), polled every 100 ms so the figure is the service's own start
 * time; the driver polls every 500 ms, which is part of its overhead.
 *
 * Two flavours, because on a small machine the JVM flags weigh more than the driver does:
 * "plain" sets only the heap (the JVM's defaults: C2 JIT, G1), "tuned" uses the driver's own JVM
 * flags and Spark settings, so driver/tuned is the cost of the driver's machinery alone.
 */
export type Flavour = "plain" | "tuned";

const pollMs = 100;
const readyTimeoutMs = 180_000;

export const tinyPysparkJob = `from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("bench-tiny").getOrCreate()
assert spark.range(1000).count() == 1000
spark.stop()
`;

export class ByHand {
  /** Process groups still running: everything started here leads its own group. */
  private readonly groups = new Set<number>();
  private readonly ports: number[] = [];
  private runs = 0;

  constructor(
    private readonly baseDir: string,
    private readonly software: LabSoftware,
  ) {}

  /** Format storage, start the broker, wait until a kafkajs admin answers listTopics. */
  async kafka(flavour: Flavour): Promise<number> {
    const dir = this.newDir("kafka");
    const { broker, controller } = await this.allocate(["broker", "controller"]);
    const started = Date.now();
    // The essentials of Kafka's own config/server.properties for a single KRaft node.
    const properties = path.join(dir, "server.properties");
    writeFileSync(
      properties,
      [
        "process.roles=broker,controller",
        "node.id=1",
        `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
        `listeners=PLAINTEXT://127.0.0.1:${broker},CONTROLLER://127.0.0.1:${controller}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${broker}`,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        `log.dirs=${path.join(dir, "data")}`,
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "",
      ].join("\n"),
    );
    const java = (mainClass: string, ...args: string[]) => [
      ...jvmFlags(flavour, dir),
      "-cp",
      path.join(this.software.kafkaLib, "*"),
      mainClass,
      ...args,
    ];
    // Like the driver, the cluster id is made here rather than by a `kafka-storage.sh random-uuid`
    // JVM (a leading "-" would read as a flag, hence the swap).
    const clusterId = randomBytes(16).toString("base64url").replace(/^-/, "A");
    await this.run(dir, "format", this.software.java, java("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId, "-c", properties));
    const server = this.start(dir, "kafka", this.software.java, java("kafka.Kafka", properties));
    await this.waitFor(() => kafkaAnswers(`127.0.0.1:${broker}`), server.exited);
    return Date.now() - started;
  }

  /** `namenode -format`, then NameNode and DataNode; ready once WebHDFS answers with a live DataNode. */
  async hdfs(flavour: Flavour): Promise<number> {
    const dir = this.newDir("hdfs");
    const ports = await this.allocate(["rpc", "http", "data", "dataHttp", "ipc"]);
    const started = Date.now();
    const conf = path.join(dir, "conf");
    mkdirSync(conf);
    // Only what a single loopback node needs: its address, its directories, free ports, one replica.
    writeFileSync(
      path.join(conf, "core-site.xml"),
      siteXml({ "fs.defaultFS": `hdfs://127.0.0.1:${ports.rpc}`, "hadoop.tmp.dir": path.join(dir, "tmp") }),
    );
    writeFileSync(
      path.join(conf, "hdfs-site.xml"),
      siteXml({
        "dfs.namenode.name.dir": path.join(dir, "name"),
        "dfs.datanode.data.dir": path.join(dir, "data"),
        "dfs.namenode.rpc-address": `127.0.0.1:${ports.rpc}`,
        "dfs.namenode.http-address": `127.0.0.1:${ports.http}`,
        "dfs.datanode.address": `127.0.0.1:${ports.data}`,
        "dfs.datanode.http.address": `127.0.0.1:${ports.dataHttp}`,
        "dfs.datanode.ipc.address": `127.0.0.1:${ports.ipc}`,
        "dfs.replication": "1",
      }),
    );
    // What bin/hdfs would run: conf dir and the install dir (for webapps/) on the classpath, plus
    // the --add-opens Hadoop's launcher adds on Java 17.
    const classpath = [conf, path.dirname(this.software.hadoopLib), path.join(this.software.hadoopLib, "*")].join(":");
    const java = (mainClass: string, ...args: string[]) => [
      ...jvmFlags(flavour, dir),
      ...hadoopJpmsOptions,
      "-Djava.net.preferIPv4Stack=true",
      "-cp",
      classpath,
      mainClass,
      ...args,
    ];
    await this.run(dir, "format", this.software.java, java("org.apache.hadoop.hdfs.server.namenode.NameNode", "-format", "-nonInteractive"));
    const namenode = this.start(dir, "namenode", this.software.java, java("org.apache.hadoop.hdfs.server.namenode.NameNode"));
    const datanode = this.start(dir, "datanode", this.software.java, java("org.apache.hadoop.hdfs.server.datanode.DataNode"));
    await this.waitFor(() => hdfsAnswers(ports.http), Promise.race([namenode.exited, datanode.exited]));
    return Date.now() - started;
  }

  /** The driver's Spark readiness is `spark-submit --version` answering. */
  async sparkVersion(): Promise<number> {
    const dir = this.newDir("spark");
    const started = Date.now();
    await this.run(dir, "spark-version", "spark-submit", ["--version"], sparkEnv(this.software, dir));
    return Date.now() - started;
  }

  /** The tiny job straight from the pyspark venv, as a person with it activated would type it. */
  async sparkJob(flavour: Flavour): Promise<number> {
    const dir = this.newDir("spark-job");
    writeFileSync(path.join(dir, "tiny_job.py"), tinyPysparkJob);
    // "tuned": what the driver's spark-defaults.conf adds (no UI, serial GC, few shuffle partitions).
    const tuned = ["spark.ui.enabled=false", "spark.sql.shuffle.partitions=4", "spark.driver.extraJavaOptions=-XX:+UseSerialGC"];
    const conf = flavour === "tuned" ? tuned.flatMap((setting) => ["--conf", setting]) : [];
    const started = Date.now();
    await this.run(
      dir,
      "spark-job",
      "spark-submit",
      ["--master", "local[2]", "--driver-memory", "512m", ...conf, "tiny_job.py"],
      sparkEnv(this.software, dir),
    );
    return Date.now() - started;
  }

  /** Kills every process group started here and deletes the directories; safe to call twice. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.groups].map((pgid) => killProcessGroup(pgid, 2000)));
    this.groups.clear();
    releasePorts(this.ports.splice(0));
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  private newDir(name: string): string {
    const dir = path.join(this.baseDir, `${name}-${++this.runs}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private async allocate<const K extends string>(names: readonly K[]): Promise<Record<K, number>> {
    const ports = await allocatePorts(names);
    this.ports.push(...Object.values<number>(ports));
    return ports;
  }

  /** Starts a server in its own process group; `exited` resolves with a message when it ends. */
  private start(dir: string, name: string, command: string, args: string[], env = javaEnv(this.software)) {
    const log = openSync(path.join(dir, `${name}.log`), "a");
    const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    const pid = child.pid;
    if (pid !== undefined) this.groups.add(pid);
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error) => resolve(`${name} could not start: ${error.message}`));
      child.once("exit", (code, signal) => resolve(`${name} exited (${signal ?? code}); see ${dir}/${name}.log`));
    });
    return { pid, exited };
  }

  /** Runs a one-shot command to completion, then kills whatever it left behind in its group. */
  private async run(dir: string, name: string, command: string, args: string[], env = javaEnv(this.software)): Promise<void> {
    const { pid, exited } = this.start(dir, name, command, args, env);
    const outcome = await exited;
    if (pid !== undefined) {
      await killProcessGroup(pid, 1000);
      this.groups.delete(pid);
    }
    if (!outcome.includes("exited (0)")) throw new Error(`${command} ${args.join(" ")}: ${outcome}`);
  }

  private async waitFor(probe: () => Promise<boolean>, exited: Promise<string>): Promise<void> {
    let died: string | undefined;
    void exited.then((message) => (died = message));
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (died) throw new Error(died);
      if (await probe()) return;
      await sleep(pollMs);
    }
    throw new Error(`not ready after ${readyTimeoutMs / 1000} s`);
  }
}

/** Both flavours get the driver's heap: the baseline must not win by being allowed more memory. */
function jvmFlags(flavour: Flavour, dir: string): string[] {
  return flavour === "tuned" ? smallJvmOptions("256m", dir) : ["-Xmx256m"];
}

function javaEnv(software: LabSoftware): NodeJS.ProcessEnv {
  return { PATH: `${software.javaHome}/bin:/usr/bin:/bin`, JAVA_HOME: software.javaHome, LANG: "C.UTF-8" };
}

/** "Activating" the venv: its spark-submit and python first on PATH. */
function sparkEnv(software: LabSoftware, dir: string): NodeJS.ProcessEnv {
  return { ...javaEnv(software), PATH: `${software.sparkVenvBin}:${software.javaHome}/bin:/usr/bin:/bin`, HOME: dir, TMPDIR: dir };
}

function siteXml(properties: Record<string, string>): string {
  const body = Object.entries(properties).map(([name, value]) => `  <property><name>${name}</name><value>${value}</value></property>`);
  return `<?xml version="1.0"?>\n<configuration>\n${body.join("\n")}\n</configuration>\n`;
}

/** Same criterion as hdfsLauncher.probe: WebHDFS answers, NameNode operational, ≥ 1 live DataNode. */
async function hdfsAnswers(httpPort: number): Promise<boolean> {
  try {
    const get = async (url: string) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    };
    await get(`http://127.0.0.1:${httpPort}/webhdfs/v1/?op=GETFILESTATUS`);
    const jmx = (await get(`http://127.0.0.1:${httpPort}/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState`)) as {
      beans?: { NumLiveDataNodes?: number; FSState?: string }[];
    };
    const state = jmx.beans?.[0];
    return (state?.NumLiveDataNodes ?? 0) >= 1 && state?.FSState === "Operational";
  } catch {
    return false;
  }
}
