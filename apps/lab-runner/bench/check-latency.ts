import { labs, type Check, type CheckKind, type Lab } from "@cookbook/content/labs";
import { labAttempts, readLabScript } from "@cookbook/content/labs/attempts";
import type { LocalSandboxDriver } from "../src/driver/local/local-driver";
import { GradingSession } from "../src/grader/check-context";
import { defaultCheckTimeoutMs, gradeLab, seedLab, type GradeTarget } from "../src/grader/index";
import { runCheck } from "../src/grader/run-check";
import { peakResidentBytes } from "../src/testing/peak-resident-memory";
import { timed } from "./measure";

export interface CheckTiming {
  lab: string;
  step: string;
  kind: CheckKind;
  passed: boolean;
  ms: number[];
}

export interface LabTiming {
  lab: string;
  solutionMs: number;
  gradeMs: number[];
  score: number;
  maxScore: number;
}

/**
 * No lab uses a command check yet, so two stand-ins, like the grader's integration test: one
 * that costs only an exec, one that starts a CLI JVM as a lab's command check would.
 */
const commandChecks: { step: string; check: Check }[] = [
  { step: "(stand-in: ls)", check: { kind: "command", argv: ["sh", "-c", "ls data"], stdoutIncludes: "sensor-readings.csv" } },
  { step: "(stand-in: hdfs dfs -test)", check: { kind: "command", argv: ["hdfs", "dfs", "-test", "-e", "/data/iot/sensor-readings.csv"] } },
];

/**
 * Runs every lab's reference solution in one full sandbox, one lab after the other (the HDFS
 * and Spark labs write the same paths with different datasets, so HDFS and the workspace are
 * cleared in between), then times each check on its own and the whole gradeLab. Each timed
 * check gets a fresh GradingSession, as one "Check my work" does, so Kafka connections count.
 * Also returns the sandbox's peak resident memory while the Spark lab's job ran.
 */
export async function measureChecks(driver: LocalSandboxDriver, target: GradeTarget, repeats: number) {
  const checks: CheckTiming[] = [];
  const grades: LabTiming[] = [];
  let sparkJobPeakBytes = 0;
  for (const [index, lab] of labs.entries()) {
    if (index > 0) await run(driver, target, ["sh", "-c", "hdfs dfs -rm -r -f -skipTrash /data && find . -mindepth 1 -delete"]);
    await seedLab(lab, target);
    const script = readLabScript(lab.slug, labAttempts[lab.slug]?.solution ?? "solution.sh");
    const solution = () => timed(() => run(driver, target, ["bash", "-c", script], 300_000));
    let solutionMs: number;
    if (lab.services.includes("spark")) {
      const sampled = await peakResidentBytes(() => driver.residentMemoryBytes(target.sandboxId), solution);
      sparkJobPeakBytes = sampled.peakBytes;
      solutionMs = sampled.result.ms;
    } else {
      solutionMs = (await solution()).ms;
    }
    const status = await driver.status(target.sandboxId);
    if (!status) throw new Error(`sandbox ${target.sandboxId} is gone`);
    const labChecks = lab.steps.flatMap((step) => step.checks.map((check) => ({ step: step.id, check })));
    if (index === 0) labChecks.push(...commandChecks);
    for (const { step, check } of labChecks) {
      const timing: CheckTiming = { lab: lab.slug, step, kind: check.kind, passed: true, ms: [] };
      for (let i = 0; i < repeats; i++) {
        const session = new GradingSession(lab, target, status);
        const { result, ms } = await timed(() => runCheck(check, session, check.timeoutMs ?? defaultCheckTimeoutMs));
        await session.close();
        timing.ms.push(ms);
        timing.passed &&= result.passed;
        if (!result.passed) console.warn(`  ! ${lab.slug}/${step} ${check.kind} failed: ${result.feedback}`);
      }
      checks.push(timing);
    }
    grades.push(await timeGrades(lab, target, repeats, solutionMs));
  }
  return { checks, grades, sparkJobPeakBytes };
}

async function timeGrades(lab: Lab, target: GradeTarget, repeats: number, solutionMs: number): Promise<LabTiming> {
  const timing: LabTiming = { lab: lab.slug, solutionMs, gradeMs: [], score: 0, maxScore: 0 };
  for (let i = 0; i < repeats; i++) {
    const { result, ms } = await timed(() => gradeLab(lab, target));
    timing.gradeMs.push(ms);
    timing.score = result.score;
    timing.maxScore = result.maxScore;
  }
  return timing;
}

async function run(driver: LocalSandboxDriver, target: GradeTarget, argv: string[], timeoutMs = 120_000): Promise<void> {
  const result = await driver.exec(target.sandboxId, argv, { timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ").slice(0, 80)} failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
}
