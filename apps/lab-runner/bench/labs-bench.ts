/**
 * `pnpm bench:labs`: figures of the local driver on this machine (issue 3, "Figures").
 *   1. cold start to ready of a Kafka, HDFS, Spark and full sandbox, and a first PySpark job;
 *   2. beside each, the same services started by hand with the same jars (./by-hand.ts), with
 *      the JVM's default flags ("plain") and with the driver's flags ("tuned");
 *   3. latency of every check kind and of gradeLab per lab, after each reference solution;
 *   4. resident memory of a full sandbox, idle and while a Spark job runs.
 * Progress goes to stderr; the tables and a final JSON line go to stdout.
 * BENCH_RUNS (default 3) cold starts per sandbox; BENCH_CHECK_REPEATS (default 3) per check.
 */
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as z from "zod";
import type { SandboxStatus, ServiceName } from "../src/driver/sandbox-driver";
import { labSoftware } from "../src/driver/local/lab-software";
import { killProcesses, processesUnder } from "../src/driver/local/process-tree";
import { installLabSoftware, testDriver, testLabSoftware } from "../src/testing/test-sandboxes";
import { ByHand, tinyPysparkJob, type Flavour } from "./by-hand";
import { measureChecks } from "./check-latency";
import { peakResidentBytes } from "../src/testing/peak-resident-memory";
import { mib, range, seconds, summarise, table, timed, type Summary } from "./measure";

const config = z
  .object({
    BENCH_RUNS: z.coerce.number().int().min(1).default(3),
    BENCH_CHECK_REPEATS: z.coerce.number().int().min(1).default(3),
  })
  .parse(process.env);

const kinds = ["kafka", "hdfs", "spark", "full"] as const;
type SandboxKind = (typeof kinds)[number];
const sandboxKinds: Record<SandboxKind, ServiceName[]> = { kafka: ["kafka"], hdfs: ["hdfs"], spark: ["spark"], full: ["kafka", "hdfs", "spark"] };

// The test-sandbox naming (.cache/sandboxes-test-<pid>-bench) means a bench killed with SIGKILL
// is reaped by the next integration test run's sweep, like a killed test run.
const sandboxes = testDriver("bench");
const { driver } = sandboxes;
let hand: ByHand | undefined;
/** Set on SIGINT/SIGTERM: the signal handler then owns the cleanup and the exit. */
let interrupted = false;
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

type Starter = "driver" | Flavour;
const starters: readonly Starter[] = ["driver", "plain", "tuned"];

/** Samples of one sandbox kind; first-job lists stay empty without Spark, memory ones unless full. */
interface ColdStart {
  readyMs: Record<Starter, number[]>;
  firstJobMs: Record<Starter, number[]>;
  destroyMs: number[];
  idleBytes: number[];
  jobPeakBytes: number[];
}

const emptyColdStart = (): ColdStart => ({
  readyMs: { driver: [], plain: [], tuned: [] },
  firstJobMs: { driver: [], plain: [], tuned: [] },
  destroyMs: [],
  idleBytes: [],
  jobPeakBytes: [],
});

function assertReady(status: SandboxStatus): void {
  for (const [service, state] of Object.entries(status.services)) {
    if (state?.state !== "ready") throw new Error(`${status.sandboxId}: ${service} is ${JSON.stringify(state)}`);
  }
}

async function execOk(sandboxId: string, argv: string[], stdin?: string): Promise<void> {
  const result = await driver.exec(sandboxId, argv, { stdin, timeoutMs: 180_000 });
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${result.exitCode}): ${result.stderr.slice(-2000)}`);
}

/** One fresh sandbox through the driver: ready, then (with Spark) the first job a learner waits for. */
async function coldStartThroughDriver(kind: SandboxKind, run: number, into: ColdStart): Promise<void> {
  const sandboxId = `${kind}-r${run}`;
  try {
    const { result: status, ms } = await timed(() => driver.provision({ sandboxId, services: sandboxKinds[kind], seed: "bench" }));
    assertReady(status);
    into.readyMs.driver.push(ms);
    if (kind === "full") into.idleBytes.push(driver.residentMemoryBytes(sandboxId));
    if (sandboxKinds[kind].includes("spark")) {
      // Writing the script is the learner's part; the wait starts at spark-submit.
      await execOk(sandboxId, ["sh", "-c", "cat > tiny_job.py"], tinyPysparkJob);
      const job = () => timed(() => execOk(sandboxId, ["spark-submit", "tiny_job.py"]));
      const { result, peakBytes } = await peakResidentBytes(() => driver.residentMemoryBytes(sandboxId), job);
      into.firstJobMs.driver.push(result.ms);
      if (kind === "full") into.jobPeakBytes.push(peakBytes);
    }
  } finally {
    const { ms } = await timed(() => driver.destroy(sandboxId));
    into.destroyMs.push(ms);
  }
}

/** The same services by hand; "full" starts the three at once, as the driver does. */
async function coldStartByHand(byHand: ByHand, kind: SandboxKind, flavour: Flavour, into: ColdStart): Promise<void> {
  try {
    const start = { kafka: () => byHand.kafka(flavour), hdfs: () => byHand.hdfs(flavour), spark: () => byHand.sparkVersion() };
    const services = sandboxKinds[kind];
    const { ms } = await timed(() => Promise.all(services.map((service) => start[service]())));
    into.readyMs[flavour].push(ms);
    if (services.includes("spark")) into.firstJobMs[flavour].push(await byHand.sparkJob(flavour));
  } finally {
    await byHand.stopAll();
  }
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  installLabSoftware();
  const byHand = new ByHand(path.join(sandboxes.baseDir, "by-hand"), labSoftware(testLabSoftware));
  hand = byHand;

  // 1 + 2: interleaved, and the order flipped every run, so a busy moment of the machine (other
  // people's tests) or a warm page cache does not favour one side.
  const loadAtStart = os.loadavg()[0];
  const cold: Record<SandboxKind, ColdStart> = { kafka: emptyColdStart(), hdfs: emptyColdStart(), spark: emptyColdStart(), full: emptyColdStart() };
  for (let run = 1; run <= config.BENCH_RUNS; run++) {
    for (const kind of kinds) {
      log(`run ${run}/${config.BENCH_RUNS}: ${kind} (driver and by hand)`);
      const steps = [
        () => coldStartThroughDriver(kind, run, cold[kind]),
        () => coldStartByHand(byHand, kind, "plain", cold[kind]),
        () => coldStartByHand(byHand, kind, "tuned", cold[kind]),
      ];
      for (const step of run % 2 ? steps : steps.reverse()) await step();
    }
  }

  // 3 + 4: one full sandbox holding each lab's reference work in turn.
  log(`check latency: full sandbox, reference solutions, ${config.BENCH_CHECK_REPEATS} repeats per check`);
  const target = { driver, sandboxId: "checks", seed: "bench-learner" };
  assertReady(await driver.provision({ sandboxId: target.sandboxId, services: sandboxKinds.full, seed: target.seed }));
  const checksIdleBytes = driver.residentMemoryBytes(target.sandboxId);
  const measured = await measureChecks(driver, target, config.BENCH_CHECK_REPEATS);
  await sandboxes.destroyAll();
  const totalSeconds = Math.round((Date.now() - benchStarted) / 1000);
  report({ cold, measured, checksIdleBytes, loadAtStart, totalSeconds });
}

const s = summarise;
const msText = (ms: number) => `${Math.round(ms)} ms`;
const ratio = (a: Summary, b: Summary) => (a.n && b.n ? `${(a.median / b.median).toFixed(2)}×` : "–");

/** Driver beside both by-hand flavours, with the ratios driver/by hand. */
function versus(samples: Record<Starter, number[]>): string[] {
  const [driverMs, plain, tuned] = starters.map((starter) => s(samples[starter]));
  if (!driverMs || !plain || !tuned) return [];
  return [range(driverMs), range(plain), ratio(driverMs, plain), range(tuned), ratio(driverMs, tuned)];
}

function report(results: {
  cold: Record<SandboxKind, ColdStart>;
  measured: Awaited<ReturnType<typeof measureChecks>>;
  checksIdleBytes: number;
  loadAtStart: number | undefined;
  totalSeconds: number;
}): void {
  const { cold, measured, checksIdleBytes, totalSeconds } = results;
  const date = new Date().toISOString();
  const load = { atStart: results.loadAtStart, atEnd: os.loadavg()[0] };
  const machine = { cores: os.cpus().length, ramBytes: os.totalmem(), node: process.version, loadAverage1m: load };
  const byKind = new Map<string, number[]>();
  for (const check of measured.checks) byKind.set(check.kind, [...(byKind.get(check.kind) ?? []), ...check.ms]);
  const full = cold.full;
  const versusHeader = ["sandbox", "driver", "by hand, plain", "ratio", "by hand, tuned", "ratio"];

  console.log(`\nLab sandbox figures, ${date}: ${machine.cores} cores, ${mib(machine.ramBytes)} RAM, Node ${machine.node}`);
  console.log(`${config.BENCH_RUNS} run(s) per cold start, ${config.BENCH_CHECK_REPEATS} repeat(s) per check; median (min–max).`);
  console.log(
    `Load average (1 min) ${load.atStart?.toFixed(1)} at the start, ${load.atEnd?.toFixed(1)} at the end: other work on the machine makes figures noisy.\n`,
  );
  console.log(
    "Cold start to ready (Spark: spark-submit --version answers). By hand: plain = JVM defaults + same heap, tuned = the driver's JVM flags",
  );
  console.log(
    table(
      [...versusHeader, "destroy (driver)"],
      kinds.map((kind) => [kind, ...versus(cold[kind].readyMs), range(s(cold[kind].destroyMs))]),
    ),
  );
  console.log("\nFirst PySpark job after ready (spark-submit of a tiny job: through exec, or straight from the venv)");
  const withSpark = kinds.filter((kind) => sandboxKinds[kind].includes("spark"));
  console.log(
    table(
      versusHeader,
      withSpark.map((kind) => [kind, ...versus(cold[kind].firstJobMs)]),
    ),
  );
  console.log("\nCheck latency, each check alone with a fresh grading session, after the lab's reference solution");
  const checkRows = measured.checks.map((c) => [c.lab, c.step, c.kind, range(s(c.ms), msText), c.passed ? "yes" : "NO"]);
  console.log(table(["lab", "step", "kind", "latency", "passed"], checkRows));
  console.log("\nPer check kind (all samples)");
  console.log(
    table(
      ["kind", "samples", "latency"],
      [...byKind].map(([kind, ms]) => [kind, String(ms.length), range(s(ms), msText)]),
    ),
  );
  console.log("\ngradeLab per lab (all its checks concurrently, status probes included)");
  const gradeRows = measured.grades.map((g) => [g.lab, seconds(g.solutionMs), range(s(g.gradeMs), msText), `${g.score}/${g.maxScore}`]);
  console.log(table(["lab", "reference solution ran", "gradeLab", "score"], gradeRows));
  console.log("\nResident memory of a full sandbox (every process under its directory)");
  const memoryRows = [
    ["idle, right after ready (cold-start runs)", range(s(full.idleBytes), mib)],
    ["idle, right after ready (check sandbox)", mib(checksIdleBytes)],
    ["peak while the tiny PySpark job runs", range(s(full.jobPeakBytes), mib)],
    ["peak while the Spark lab's reference solution runs", mib(measured.sparkJobPeakBytes)],
  ];
  console.log(table(["when", "RSS"], memoryRows));
  console.log(`\nTotal bench time: ${totalSeconds} s.`);

  const bySample = (samples: Record<string, number[]>) =>
    Object.fromEntries(
      Object.entries(samples)
        .filter(([, v]) => v.length > 0)
        .map(([k, v]) => [k, s(v)]),
    );
  const coldStart = Object.fromEntries(
    kinds.map((kind) => [
      kind,
      { readyMs: bySample(cold[kind].readyMs), firstJobMs: bySample(cold[kind].firstJobMs), destroyMs: s(cold[kind].destroyMs) },
    ]),
  );
  const json = {
    bench: "labs",
    date,
    machine,
    runs: config.BENCH_RUNS,
    checkRepeats: config.BENCH_CHECK_REPEATS,
    coldStart,
    checks: measured.checks.map((c) => ({ ...c, summary: s(c.ms) })),
    checkKinds: Object.fromEntries([...byKind].map(([kind, ms]) => [kind, s(ms)])),
    gradeLab: measured.grades.map((g) => ({ ...g, summary: s(g.gradeMs) })),
    memory: {
      fullIdleBytes: s(full.idleBytes),
      checkSandboxIdleBytes: checksIdleBytes,
      tinyJobPeakBytes: s(full.jobPeakBytes),
      sparkLabJobPeakBytes: measured.sparkJobPeakBytes,
    },
    totalSeconds,
  };
  console.log(JSON.stringify(json));
}

/**
 * Ctrl-C or a kill: the driver's per-sandbox lock would make destroy wait for a provision in
 * flight, so kill everything under the bench's directory directly, delete it (a provision still
 * running then fails to spawn anything), and sweep once more for a process started meanwhile.
 */
function stopOnSignals(): void {
  const stop = async (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping everything the bench started`);
    await hand?.stopAll().catch(() => undefined);
    await killProcesses(processesUnder(sandboxes.baseDir));
    rmSync(sandboxes.baseDir, { recursive: true, force: true });
    await killProcesses(processesUnder(sandboxes.baseDir));
    process.exit(130);
  };
  process.on("SIGINT", (signal) => void stop(signal));
  process.on("SIGTERM", (signal) => void stop(signal));
}

stopOnSignals();
try {
  await main();
  // kafkajs and fetch keep-alive sockets would keep the event loop alive for a while.
  process.exit(0);
} catch (error) {
  // Killed servers make the run in flight fail; that is no news after Ctrl-C.
  if (interrupted) await new Promise(() => undefined);
  console.error(error);
  log("failed: destroying the bench's sandboxes");
  await hand?.stopAll().catch(() => undefined);
  await killProcesses(processesUnder(sandboxes.baseDir));
  await sandboxes.destroyAll().catch(() => undefined);
  process.exit(1);
}
