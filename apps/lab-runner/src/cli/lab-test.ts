/**
 * `pnpm lab:test <slug>`: proves one lab in a real local sandbox, as its author works on it.
 * Grades the untouched sandbox (every step must fail), then each known-wrong attempt (exactly
 * its listed steps must fail, with the listed feedback), each alternative honest solution and
 * the reference solution (full marks), resetting the sandbox in between. Prints a table of
 * steps × attempts and the feedback of every step that did not do what attempts.ts says; exits 1
 * if any did not. Also prints the cold start (provision to ready) and the sandbox's peak resident
 * memory while the reference solution runs and is graded: the lab table's figures in the README.
 * `--keep` leaves the sandbox running for a look in its terminal.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findLab, labs, type Lab } from "@cookbook/content/labs";
import { labAttempts } from "@cookbook/content/labs/attempts";
import { LocalSandboxDriver } from "../driver/local/local-driver";
import { gradeLab, seedLab, type LabGrade } from "../grader/index";
import { localDriverConfig } from "../service/config";
import { resetLabSandbox, runLabScript, type LabSandbox } from "../testing/lab-attempts";
import { peakResidentBytes } from "../testing/peak-resident-memory";

interface Attempt {
  name: string;
  script: string | null;
  /** Step id → feedback it must contain; the steps not listed must pass. */
  failing: Record<string, string>;
}

function attemptsOf(lab: Lab): Attempt[] {
  const attempts = labAttempts[lab.slug];
  if (!attempts) throw new Error(`lab ${lab.slug} has no attempts in packages/content/src/labs/attempts.ts`);
  const everyStep = Object.fromEntries(lab.steps.map((step) => [step.id, ""]));
  return [
    { name: "nothing", script: null, failing: everyStep },
    ...attempts.wrong.map((wrong) => ({ name: wrong.script, script: wrong.script, failing: wrong.failingSteps })),
    ...[...attempts.alternatives, attempts.solution].map((script) => ({ name: script, script, failing: {} })),
  ];
}

/** What is wrong with one attempt's grade, one line per step that did not do what was expected. */
function mismatches(lab: Lab, attempt: Attempt, grade: LabGrade): string[] {
  return lab.steps.flatMap((step) => {
    const graded = grade.steps.find((s) => s.stepId === step.id);
    const feedback = graded?.checks.map((check) => `[${check.finding}] ${check.feedback}`).join(" ") ?? "";
    const expected = attempt.failing[step.id];
    if (expected === undefined) return graded?.passed ? [] : [`${step.id}: should pass, failed: ${feedback}`];
    if (graded?.passed) return [`${step.id}: should fail, passed: ${feedback}`];
    return feedback.includes(expected) ? [] : [`${step.id}: feedback lacks "${expected}": ${feedback}`];
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const keep = args.includes("--keep");
  const slug = args.find((arg) => !arg.startsWith("--"));
  const lab = slug ? findLab(slug) : undefined;
  if (!lab) {
    console.error(`usage: pnpm lab:test <slug> [--keep]\nlabs: ${labs.map((l) => l.slug).join(", ")}`);
    return 2;
  }
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
  const baseDir = path.join(repoRoot, ".cache", `lab-test-${process.pid}`);
  const driver = new LocalSandboxDriver({ baseDir, software: localDriverConfig(process.env).software });
  const sandbox: LabSandbox = { driver, sandboxId: lab.slug, seed: randomBytes(16).toString("hex") };
  const started = Date.now();
  const rows: { attempt: Attempt; grade: LabGrade; problems: string[]; seconds: number }[] = [];
  let coldStartSeconds = 0;
  let peakBytes = 0;
  try {
    console.info(`provisioning ${lab.services.join(", ")} for ${lab.slug}…`);
    await driver.provision({ sandboxId: sandbox.sandboxId, services: [...lab.services], seed: sandbox.seed });
    await seedLab(lab, sandbox);
    coldStartSeconds = (Date.now() - started) / 1000;
    console.info(`ready in ${coldStartSeconds.toFixed(1)} s`);
    for (const [index, attempt] of attemptsOf(lab).entries()) {
      const attemptStarted = Date.now();
      const problems: string[] = [];
      const script = attempt.script;
      if (script && index > 0) await resetLabSandbox(lab, sandbox);
      const work = async () => {
        if (script) {
          const run = await runLabScript(lab, sandbox, script);
          if (run.exitCode !== 0 || run.timedOut) problems.push(`script exited ${run.timedOut ? "by timeout" : run.exitCode}:\n${run.output.trim()}`);
        }
        return gradeLab(lab, sandbox);
      };
      let grade: LabGrade;
      if (script === labAttempts[lab.slug]?.solution) {
        const measured = await peakResidentBytes(() => driver.residentMemoryBytes(sandbox.sandboxId), work);
        grade = measured.result;
        peakBytes = measured.peakBytes;
      } else grade = await work();
      problems.push(...mismatches(lab, attempt, grade));
      const seconds = (Date.now() - attemptStarted) / 1000;
      rows.push({ attempt, grade, problems, seconds });
      console.info(`${problems.length === 0 ? "ok  " : "BAD "} ${attempt.name} (${grade.score}/${grade.maxScore}, ${seconds.toFixed(1)} s)`);
    }
  } finally {
    if (!keep) {
      await driver.destroy(sandbox.sandboxId).catch(() => undefined);
      rmSync(baseDir, { recursive: true, force: true });
    } else console.info(`kept sandbox ${sandbox.sandboxId} under ${baseDir}`);
  }
  const width = Math.max(...lab.steps.map((step) => step.id.length), 4);
  console.info(`\n${"step".padEnd(width)}  ${rows.map((row) => row.attempt.name).join("  ")}`);
  for (const step of lab.steps) {
    const cells = rows.map((row) => {
      const passed = row.grade.steps.find((s) => s.stepId === step.id)?.passed;
      const expected = !(step.id in row.attempt.failing);
      const cell = `${passed ? "pass" : "fail"}${passed === expected ? "" : "!"}`;
      return cell.padEnd(row.attempt.name.length);
    });
    console.info(`${step.id.padEnd(width)}  ${cells.join("  ")}`);
  }
  console.info(
    `${"score".padEnd(width)}  ${rows.map((row) => `${row.grade.score}/${row.grade.maxScore}`.padEnd(row.attempt.name.length)).join("  ")}`,
  );
  const bad = rows.filter((row) => row.problems.length > 0);
  for (const row of bad) console.error(`\n${row.attempt.name}:\n  ${row.problems.join("\n  ")}`);
  console.info(
    `\ncold start ${coldStartSeconds.toFixed(1)} s; peak resident memory during the reference solution ${Math.round(peakBytes / 2 ** 20)} MiB`,
  );
  console.info(
    `${lab.slug}: ${rows.length - bad.length}/${rows.length} attempts as expected in ${((Date.now() - started) / 1000).toFixed(0)} s ("!" marks a step that did not do what attempts.ts says)`,
  );
  return bad.length === 0 ? 0 : 1;
}

process.exitCode = await main();
