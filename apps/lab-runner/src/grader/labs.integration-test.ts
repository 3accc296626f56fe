import { generateDataset, labs, type Lab } from "@cookbook/content/labs";
import { labAttempts } from "@cookbook/content/labs/attempts";
import { findingCodePattern } from "@cookbook/lab-runner-api/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labScriptTimeoutMs, resetLabSandbox, runLabScript } from "../testing/lab-attempts";
import { installLabSoftware, sweepKilledRuns, testDriver } from "../testing/test-sandboxes";
import { gradeLab, seedLab, type GradeTarget, type LabGrade } from "./index";

/**
 * Every lab against real services: one sandbox per lab (provisioned in parallel), reset between
 * attempts by deleting topics, groups, HDFS paths and workspace files, which is much faster than
 * provisioning again.
 */
const sandboxes = testDriver("grader");
const { driver } = sandboxes;
const seedOf = { mine: "learner-a-7f3c", someoneElse: "learner-b-19e2" };
const targets = new Map<string, GradeTarget>();
const minutes = (n: number) => n * 60_000;
const provisionConcurrency = 4;

/**
 * LABS_ONLY=<slug>[,<slug>…] proves only those labs and provisions only their sandboxes, for an
 * author working on one lab:
 *   LABS_ONLY=kafka-partitions-keys-groups pnpm exec vitest run --project integration apps/lab-runner/src/grader/labs.integration-test.ts
 * The tests below that use one particular lab's sandbox are skipped when that lab is left out.
 */
const onlySlugs = (process.env.LABS_ONLY ?? "")
  .split(",")
  .map((slug) => slug.trim())
  .filter(Boolean);
const unknownSlugs = onlySlugs.filter((slug) => !labs.some((lab) => lab.slug === slug));
if (unknownSlugs.length > 0) throw new Error(`LABS_ONLY names unknown labs: ${unknownSlugs.join(", ")}`);
const labsUnderTest = onlySlugs.length > 0 ? labs.filter((lab) => onlySlugs.includes(lab.slug)) : labs;
const underTest = (slug: string) => labsUnderTest.some((lab) => lab.slug === slug);

function targetOf(lab: Lab): GradeTarget {
  const target = targets.get(lab.slug);
  if (!target) throw new Error(`no sandbox for ${lab.slug}`);
  return target;
}

/** Runs one of the lab's scripts in the sandbox's workspace, as a learner's shell would; it must succeed. */
async function runScript(lab: Lab, target: GradeTarget, script: string): Promise<void> {
  const run = await runLabScript(lab, { ...target, driver }, script);
  console.info(`${lab.slug}/${script} ran in ${run.seconds.toFixed(1)} s`);
  expect(run, `${script}\n${run.output}`).toMatchObject({ exitCode: 0, timedOut: false });
}

async function timedGrade(lab: Lab, target: GradeTarget): Promise<LabGrade> {
  const started = Date.now();
  const grade = await gradeLab(lab, target);
  const steps = grade.steps.map(
    (step) => `  ${step.passed ? "pass" : "FAIL"} ${step.stepId}: ${step.checks.map((c) => `[${c.finding}] ${c.feedback}`).join(" ")}`,
  );
  console.info(`${lab.slug}: graded in ${((Date.now() - started) / 1000).toFixed(1)} s, score ${grade.score}/${grade.maxScore}\n${steps.join("\n")}`);
  return grade;
}

const failedSteps = (grade: LabGrade) => grade.steps.filter((step) => !step.passed).map((step) => step.stepId);
const feedbackOf = (grade: LabGrade, stepId: string) =>
  grade.steps
    .find((step) => step.stepId === stepId)
    ?.checks.map((check) => check.feedback)
    .join(" ");

/**
 * Nothing a learner sees may look like a stack trace, and every result is named by a finding code
 * of its own kind: `.passed` exactly when it passed, never a grader error.
 */
function expectCleanFeedback(grade: LabGrade): void {
  for (const check of grade.steps.flatMap((step) => step.checks)) {
    expect(check.feedback.length).toBeGreaterThan(10);
    expect(check.feedback).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    expect(check.finding).toMatch(findingCodePattern);
    expect(check.finding.startsWith(`${check.kind}.`)).toBe(true);
    expect(check.finding.endsWith(".passed")).toBe(check.passed);
    expect(check.finding).not.toMatch(/\.(error|unavailable)$/);
  }
}

beforeAll(async () => {
  installLabSoftware();
  await sweepKilledRuns();
  const started = Date.now();
  // A few at a time: twelve sandboxes starting their JVMs at once on 2 cores miss their readiness deadlines.
  const queue = [...labsUnderTest];
  const provisionNext = async (): Promise<void> => {
    const lab = queue.shift();
    if (!lab) return;
    const status = await driver.provision({ sandboxId: lab.slug, services: [...lab.services], seed: seedOf.mine });
    for (const [service, state] of Object.entries(status.services)) expect(state, `${lab.slug} ${service}`).toEqual({ state: "ready" });
    const target = { driver, sandboxId: lab.slug, seed: seedOf.mine };
    await seedLab(lab, target);
    targets.set(lab.slug, target);
    await provisionNext();
  };
  await Promise.all(Array.from({ length: provisionConcurrency }, provisionNext));
  console.info(`${labsUnderTest.length} lab sandboxes ready and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, minutes(20));

afterAll(async () => {
  await sandboxes.destroyAll();
}, minutes(2));

/**
 * Three lanes side by side, each proving its labs one after the other. On 2 cores two Spark batch
 * jobs at once were slower than one after the other, so the batch Spark labs share one lane. The
 * labs with a live check (a running job's output watched while grading) mostly wait: a wrong
 * attempt's check waits out its stated time, and so do the brokers, consumer sessions and the
 * other labs, so those two lanes fit beside it.
 */
const hasLiveCheck = (lab: Lab) => lab.steps.some((step) => step.checks.some((check) => check.kind.startsWith("kafka-live-")));
const lanes = [
  { name: "with Spark batch jobs", labs: labsUnderTest.filter((lab) => lab.services.includes("spark") && !hasLiveCheck(lab)) },
  { name: "with live checks", labs: labsUnderTest.filter(hasLiveCheck) },
  { name: "without Spark", labs: labsUnderTest.filter((lab) => !lab.services.includes("spark") && !hasLiveCheck(lab)) },
];

/** The labs whose sandboxes the tests after the lanes use; every other lab's sandbox ends with its lab's tests, so idle JVMs stop taking the cores. */
const checkTimeoutsLab = "kafka-sensor-readings";
const auditLogLab = "spark-daily-averages";
const keptForLaterTests = new Set([checkTimeoutsLab, auditLogLab]);

function proveLab(lab: Lab): void {
  const attempts = labAttempts[lab.slug];
  describe.sequential(`lab ${lab.slug}`, () => {
    afterAll(async () => {
      if (!keptForLaterTests.has(lab.slug)) await driver.destroy(lab.slug);
    }, minutes(2));

    it("seeds the learner's dataset into the workspace", async () => {
      if (!lab.dataset) return;
      const head = await driver.exec(lab.slug, ["head", "-n", "2", lab.dataset.file]);
      const [header, first] = generateDataset(lab.dataset, seedOf.mine).content.split("\n");
      expect(head.stdout).toBe(`${header}\n${first}\n`);
      expect(head.stdout).toMatch(/^timestamp,.+\n2016-\d\d-\d\d \d\d:\d\d:\d\d,.+\n$/);
    });

    it(
      "fails every step, with feedback and hints, when the learner has done nothing",
      async () => {
        const grade = await timedGrade(lab, targetOf(lab));
        expect(grade).toMatchObject({ labSlug: lab.slug, labVersion: lab.version, score: 0 });
        expect(grade.maxScore).toBe(lab.steps.reduce((sum, step) => sum + step.points, 0));
        expect(failedSteps(grade)).toEqual(lab.steps.map((step) => step.id));
        expect(grade.steps.every((step) => step.hints.length > 0 && step.earned === 0)).toBe(true);
        expect(grade.steps.flatMap((step) => step.checks).some((check) => check.timedOut)).toBe(false);
        expectCleanFeedback(grade);
      },
      minutes(1),
    );

    for (const wrong of attempts?.wrong ?? []) {
      it(
        `fails exactly ${Object.keys(wrong.failingSteps).join(", ")} after ${wrong.script}`,
        async () => {
          const target = targetOf(lab);
          await resetLabSandbox(lab, target);
          await runScript(lab, target, wrong.script);
          const grade = await timedGrade(lab, target);
          expect(failedSteps(grade)).toEqual(lab.steps.map((step) => step.id).filter((id) => id in wrong.failingSteps));
          for (const [stepId, feedback] of Object.entries(wrong.failingSteps)) expect(feedbackOf(grade, stepId)).toContain(feedback);
          const earned = lab.steps.filter((step) => !(step.id in wrong.failingSteps)).reduce((sum, step) => sum + step.points, 0);
          expect(grade.score).toBe(earned);
          expectCleanFeedback(grade);
        },
        labScriptTimeoutMs + minutes(2),
      );
    }

    // Honest solutions with other tools first: the reference solution runs last, and the tests below read what it left.
    for (const script of [...(attempts?.alternatives ?? []), attempts?.solution ?? "solution.sh"]) {
      it(
        `passes every step with full score after ${script === attempts?.solution ? "the reference solution" : script}`,
        async () => {
          const target = targetOf(lab);
          await resetLabSandbox(lab, target);
          await runScript(lab, target, script);
          const grade = await timedGrade(lab, target);
          expect(grade.steps.map((step) => [step.stepId, step.passed, step.checks.map((c) => c.feedback).join(" ")])).toEqual(
            lab.steps.map((step) => [step.id, true, expect.any(String)]),
          );
          expect(grade.score).toBe(grade.maxScore);
          expect(grade.steps.every((step) => step.hints.length === 0)).toBe(true);
          expectCleanFeedback(grade);
        },
        labScriptTimeoutMs + minutes(2),
      );
    }

    it(
      "does not pass another learner: the reference work graded against someone else's seed fails",
      async () => {
        const copied = await gradeLab(lab, { ...targetOf(lab), seed: seedOf.someoneElse });
        expect(copied.score).toBeLessThan(copied.maxScore);
        // Every step whose checks depend on the dataset fails for the other learner.
        const datasetSteps = lab.steps
          .filter((step) =>
            step.checks.some(
              (check) =>
                (check.kind === "hdfs-path" && check.content === "dataset") ||
                (check.kind === "kafka-messages" && check.matchesDataset) ||
                check.kind === "consumed-messages" ||
                check.kind === "delivered-records" ||
                check.kind === "kafka-delivered-records" ||
                check.kind === "kafka-keyed-messages" ||
                check.kind === "kafka-view" ||
                check.kind === "kafka-top-n-windows" ||
                check.kind === "kafka-window-averages" ||
                check.kind === "speed-view" ||
                check.kind === "serving-query" ||
                check.kind === "spark-output" ||
                check.kind === "mapreduce-output",
            ),
          )
          .map((step) => step.id);
        expect(datasetSteps.length).toBeGreaterThan(0);
        for (const stepId of datasetSteps) expect(failedSteps(copied)).toContain(stepId);
        expectCleanFeedback(copied);
      },
      minutes(2),
    );
  });
}

for (const lane of lanes) {
  describe.concurrent(`labs ${lane.name}`, () => {
    for (const lab of lane.labs) proveLab(lab);
  });
}

describe.skipIf(!underTest(checkTimeoutsLab))("check timeouts", () => {
  it(
    "fail only the step whose check timed out; the other steps keep their results",
    async () => {
      const kafkaLab = labs.find((lab) => lab.slug === checkTimeoutsLab);
      if (!kafkaLab) throw new Error("kafka lab missing");
      // The kafka sandbox still holds the reference solution's state from the tests above.
      const withSlowStep: Lab = {
        ...kafkaLab,
        steps: [
          ...kafkaLab.steps,
          {
            id: "slow-step",
            title: "A check that cannot finish in time",
            instructions: "-",
            hints: ["wait"],
            points: 5,
            checks: [{ kind: "command", argv: ["sleep", "30"], timeoutMs: 500 }],
          },
          {
            id: "command-step",
            title: "A command check that passes",
            instructions: "-",
            hints: [],
            points: 1,
            checks: [{ kind: "command", argv: ["sh", "-c", "ls data"], stdoutIncludes: "sensor-readings.csv" }],
          },
        ],
      };
      const started = Date.now();
      const grade = await gradeLab(withSlowStep, targetOf(kafkaLab));
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(failedSteps(grade)).toEqual(["slow-step"]);
      const slow = grade.steps.find((step) => step.stepId === "slow-step");
      expect(slow?.checks[0]).toMatchObject({ kind: "command", passed: false, finding: "command.timeout", timedOut: true });
      expect(slow?.checks[0]?.feedback).toContain("did not finish within 500 ms");
      expect(grade.score).toBe(grade.maxScore - 5);
    },
    minutes(2),
  );
});

describe.skipIf(!underTest(auditLogLab))("who wrote a Spark output, by the NameNode's audit log", () => {
  it(
    "keeps a Spark output's origin when the learner moves it, and refuses a copy of it",
    async () => {
      const sparkLab = labs.find((lab) => lab.slug === auditLogLab);
      if (!sparkLab) throw new Error("spark lab missing");
      const target = targetOf(sparkLab);
      // The Spark sandbox still holds the reference solution's output.
      const moved = await driver.exec(target.sandboxId, [
        "bash",
        "-c",
        "hdfs dfs -cp /data/iot/daily-averages /data/iot/copied && hdfs dfs -mv /data/iot/daily-averages /data/iot/moved && hdfs dfs -ls /data/iot",
      ]);
      expect(moved.stdout).toContain("/data/iot/moved");
      const check = {
        kind: "spark-output",
        input: "/data/iot/sensor-readings.csv",
        format: "csv",
        expected: "daily-averages",
        tolerance: 0.01,
      } as const;
      const step = (id: string, path: string) => ({ id, title: id, instructions: "-", hints: ["h"], points: 1, checks: [{ ...check, path }] });
      const grade = await gradeLab({ ...sparkLab, steps: [step("moved", "/data/iot/moved"), step("copied", "/data/iot/copied")] }, target);
      expect(grade.steps.map((s) => [s.stepId, s.passed, s.checks[0]?.finding])).toEqual([
        ["moved", true, "spark-output.passed"],
        ["copied", false, "spark-output.not-written-by-spark"],
      ]);
      expect(grade.steps[1]?.checks[0]?.feedback).toContain("was written by a client that is not a Spark task");
    },
    minutes(1),
  );
});
