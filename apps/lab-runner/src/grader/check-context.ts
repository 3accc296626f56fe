import { generateDataset, type ComputationInput, type GeneratedDataset, type Lab, type LabService, type SensorSeries } from "@cookbook/content/labs";
import { serviceTitles } from "@cookbook/lab-runner-api/vocabulary";
import type { SandboxStatus } from "../driver/sandbox-driver";
import { CheckFailure, CheckTimeout, SandboxUnavailable, summariseError } from "./check-failure";
import { KafkaConnection } from "./kafka-connection";
import type { GradeTarget } from "./lab-grade";
import { usesSeededRecords } from "./seeded-records";
import { seededTopicReadings } from "./seeded-topics";
import { WebHdfsClient } from "./webhdfs-client";

/** A consumer's output or a store of a few hundred records is far below this; more is not read. */
const maxWorkspaceFileBytes = 4 * 1024 * 1024;

/** Prints "missing" when there is no such file, else "present" and its first bytes. */
const readWorkspaceFileScript = `f="$1"
if [ ! -f "$f" ]; then echo missing; exit 0; fi
echo present
head -c ${maxWorkspaceFileBytes} -- "$f"`;

/** Tens of thousands of audit lines: far more than a lab's jobs make; older lines are dropped. */
const maxAuditLogChars = 32 * 1024 * 1024;

/**
 * What one grading run shares between its checks: the sandbox's status and endpoints (read
 * once), the learner's dataset (generated from the seed, never read from the sandbox), and
 * lazily opened clients.
 */
export class GradingSession {
  private dataset: GeneratedDataset | undefined;
  private kafkaConnection: KafkaConnection | undefined;

  constructor(
    readonly lab: Lab,
    readonly target: GradeTarget,
    private readonly status: SandboxStatus,
    /** The grader's clock: live checks place their records in event time and keep their deadlines with it. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now(): number {
    return this.clock().getTime();
  }

  /** The learner's own dataset, from the lab's definition and the sandbox's seed. */
  learnerDataset(): GeneratedDataset {
    if (!this.lab.dataset) throw new CheckFailure("no-dataset", `Lab ${this.lab.slug} has no dataset to compare with.`);
    this.dataset ??= generateDataset(this.lab.dataset, this.target.seed);
    return this.dataset;
  }

  /**
   * What the grader's own results are computed from: the learner's dataset and, for results per
   * sensor, every sensor a pipeline reading Kafka sees: the dataset's (under the sensor name the
   * lab gives it) and each seeded topic of plain sensor readings, known only from the seed.
   */
  computationInput(): ComputationInput {
    const { readings, file, payments } = this.learnerDataset();
    const sensors: SensorSeries[] = [];
    const own = this.lab.dataset?.kind === "sensor-readings" ? this.lab.dataset.sensor : undefined;
    if (own) sensors.push({ sensor: own, readings, origin: `are your own (${file}): a pipeline gets them from Kafka once they are published` });
    for (const topic of this.lab.seededTopics ?? []) {
      if (usesSeededRecords(topic)) continue;
      sensors.push({
        sensor: topic.sensor,
        readings: seededTopicReadings(topic, this.target.seed),
        origin: `exist only in Kafka topic ${topic.topic}: no file has them`,
      });
    }
    return { readings, sensors, payments };
  }

  kafka(): KafkaConnection {
    this.requireReady("kafka");
    const bootstrap = this.status.endpoints.kafkaBootstrapServers;
    if (!bootstrap) throw new SandboxUnavailable("Your sandbox has no Kafka.");
    this.kafkaConnection ??= new KafkaConnection(bootstrap);
    return this.kafkaConnection;
  }

  /** A WebHDFS client bound to one check's abort signal. */
  webHdfs(signal: AbortSignal): WebHdfsClient {
    this.requireReady("hdfs");
    const base = this.status.endpoints.webHdfsUrl;
    if (!base) throw new SandboxUnavailable("Your sandbox has no HDFS.");
    return new WebHdfsClient(base, signal);
  }

  /**
   * The NameNode's audit log, which it writes itself: evidence of who made a file that nothing
   * in the learner's reach can forge. Capped, so a huge log cannot stall grading.
   */
  async hdfsAuditLog(signal: AbortSignal): Promise<string> {
    this.requireReady("hdfs");
    const url = this.status.endpoints.hdfsAuditLogUrl;
    if (!url) throw new SandboxUnavailable("Your sandbox's HDFS keeps no audit log, so the grader cannot tell which job wrote a file.");
    const response = await fetch(url, { signal }).catch((error: unknown) => {
      throw new SandboxUnavailable(`Could not read HDFS's audit log (${summariseError(error)}).`);
    });
    if (!response.ok) throw new SandboxUnavailable(`HDFS's audit log answered ${response.status}.`);
    const text = await response.text();
    return text.length > maxAuditLogChars ? text.slice(text.indexOf("\n", text.length - maxAuditLogChars) + 1) : text;
  }

  /** A file of the learner's workspace (its first 4 MiB), read through exec; null when it does not exist. */
  async workspaceFile(file: string, timeoutMs: number): Promise<string | null> {
    const { driver, sandboxId } = this.target;
    // With the learner's rights: a symlink the learner made must not let the grader read (and quote) a file the learner cannot.
    const result = await driver.exec(sandboxId, ["/bin/sh", "-c", readWorkspaceFileScript, "workspace-file", file], { timeoutMs, asLearner: true });
    if (result.timedOut) throw new CheckTimeout(`reading ${file} timed out`);
    if (result.exitCode !== 0) throw new CheckFailure("unreadable", `Could not read ${file} in your workspace.`);
    const newline = result.stdout.indexOf("\n");
    return result.stdout.slice(0, newline) === "present" ? result.stdout.slice(newline + 1) : null;
  }

  /** A service that crashed or was stopped gets one clear message instead of a connection error. */
  requireReady(service: LabService): void {
    const state = this.status.services[service];
    const title = serviceTitles[service];
    if (!state) throw new SandboxUnavailable(`Your sandbox does not run ${title}.`);
    if (state.state === "ready") return;
    const why = state.state === "failed" ? `failed: ${state.reason}` : state.state;
    throw new SandboxUnavailable(`${title} is not running in your sandbox (${why}). Start the lab again to bring it back, then check again.`);
  }

  async close(): Promise<void> {
    await this.kafkaConnection?.close();
  }
}
