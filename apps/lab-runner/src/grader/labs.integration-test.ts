import { labs, type Lab } from "@cookbook/content/labs";
import { labAttempts, readLabScript } from "@cookbook/content/labs/attempts";
import { findingCodePattern } from "@cookbook/lab-runner-api/contract";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

function targetOf(lab: Lab): GradeTarget {
  const target = targets.get(lab.slug);
  if (!target) throw new Error(`no sandbox for ${lab.slug}`);
  return target;
}

async function endpoints(sandboxId: string) {
  const status = await driver.status(sandboxId);
  if (!status) throw new Error(`sandbox ${sandboxId} is gone`);
  return status.endpoints;
}

/** Deletes what a learner can have made: topics and groups, every HDFS path, every workspace file. */
async function resetSandbox(lab: Lab, target: GradeTarget): Promise<void> {
  const { kafkaBootstrapServers, webHdfsUrl } = await endpoints(target.sandboxId);
  if (kafkaBootstrapServers) {
    const admin = new Kafka({ clientId: "test-reset", brokers: [kafkaBootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith("__"));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      // Creating a topic of the same name fails while the deletion is still under way.
      await expect.poll(async () => (await admin.listTopics()).filter((t) => topics.includes(t)), { timeout: 30_000 }).toEqual([]);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      if (groups.length > 0) await admin.deleteGroups(groups);
    } finally {
      await admin.disconnect();
    }
  }
  if (webHdfsUrl) {
    const listing = (await (await fetch(`${webHdfsUrl}/?op=LISTSTATUS`)).json()) as { FileStatuses: { FileStatus: { pathSuffix: string }[] } };
    for (const entry of listing.FileStatuses.FileStatus) {
      const response = await fetch(`${webHdfsUrl}/${entry.pathSuffix}?op=DELETE&recursive=true`, { method: "DELETE" });
      expect(response.status).toBe(200);
    }
  }
  const cleared = await driver.exec(target.sandboxId, ["find", ".", "-mindepth", "1", "-delete"]);
  expect(cleared.exitCode, cleared.stderr).toBe(0);
  await seedLab(lab, target);
}

/** Runs one of the lab's scripts in the sandbox's workspace, as a learner's shell would. */
async function runScript(lab: Lab, target: GradeTarget, script: string): Promise<void> {
  const started = Date.now();
  const result = await driver.exec(target.sandboxId, ["bash", "-c", readLabScript(lab.slug, script)], { timeoutMs: minutes(4) });
  console.info(`${lab.slug}/${script} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(result, `${script}\n${result.stdout}\n${result.stderr}`).toMatchObject({ exitCode: 0, timedOut: false });
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
  await Promise.all(
    labs.map(async (lab) => {
      const status = await driver.provision({ sandboxId: lab.slug, services: [...lab.services], seed: seedOf.mine });
      for (const [service, state] of Object.entries(status.services)) expect(state, `${lab.slug} ${service}`).toEqual({ state: "ready" });
      const target = { driver, sandboxId: lab.slug, seed: seedOf.mine };
      await seedLab(lab, target);
      targets.set(lab.slug, target);
    }),
  );
  console.info(`${labs.length} lab sandboxes ready and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, minutes(20));

afterAll(async () => {
  await sandboxes.destroyAll();
}, minutes(2));

// One lab after the other: on 2 cores, running the suites side by side made the Spark jobs slower than it saved.
for (const lab of labs) {
  const attempts = labAttempts[lab.slug];
  describe(`lab ${lab.slug}`, () => {
    it("seeds the learner's dataset into the workspace", async () => {
      const file = lab.dataset?.file;
      if (!file) return;
      const head = await driver.exec(lab.slug, ["head", "-n", "2", file]);
      expect(head.stdout).toMatch(/^timestamp,value\n2016-\d\d-\d\d \d\d:\d\d:\d\d,\d\d\.\d\d\n$/);
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
          await resetSandbox(lab, target);
          await runScript(lab, target, wrong.script);
          const grade = await timedGrade(lab, target);
          expect(failedSteps(grade)).toEqual(lab.steps.map((step) => step.id).filter((id) => id in wrong.failingSteps));
          for (const [stepId, feedback] of Object.entries(wrong.failingSteps)) expect(feedbackOf(grade, stepId)).toContain(feedback);
          const earned = lab.steps.filter((step) => !(step.id in wrong.failingSteps)).reduce((sum, step) => sum + step.points, 0);
          expect(grade.score).toBe(earned);
          expectCleanFeedback(grade);
        },
        minutes(5),
      );
    }

    it(
      "passes every step with full score after the reference solution",
      async () => {
        const target = targetOf(lab);
        await resetSandbox(lab, target);
        await runScript(lab, target, attempts?.solution ?? "solution.sh");
        const grade = await timedGrade(lab, target);
        expect(grade.steps.map((step) => [step.stepId, step.passed, step.checks.map((c) => c.feedback).join(" ")])).toEqual(
          lab.steps.map((step) => [step.id, true, expect.any(String)]),
        );
        expect(grade.score).toBe(grade.maxScore);
        expect(grade.steps.every((step) => step.hints.length === 0)).toBe(true);
        expectCleanFeedback(grade);
      },
      minutes(5),
    );

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
                check.kind === "spark-output",
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

describe("check timeouts", () => {
  it(
    "fail only the step whose check timed out; the other steps keep their results",
    async () => {
      const kafkaLab = labs.find((lab) => lab.slug === "kafka-sensor-readings");
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

describe("spark output in the workspace", () => {
  it(
    "reads part files from a workspace directory through exec, skipping checksum files",
    async () => {
      const sparkLab = labs.find((lab) => lab.slug === "spark-daily-averages");
      if (!sparkLab) throw new Error("spark lab missing");
      const target = targetOf(sparkLab);
      // The Spark sandbox still holds the reference solution's output; a local copy, with the binary
      // checksum file Spark's local writer leaves beside each part, stands for a job writing to file://.
      const copied = await driver.exec(target.sandboxId, [
        "bash",
        "-c",
        "hdfs dfs -get /data/iot/daily-averages out && head -c 64 /dev/urandom > out/.part-00000.csv.crc && ls -a out",
      ]);
      expect(copied.stdout).toContain("_SUCCESS");
      const check = { kind: "spark-output", storage: "workspace", format: "csv", expected: "daily-averages", tolerance: 0.01 } as const;
      const local: Lab = {
        ...sparkLab,
        steps: [
          { id: "local", title: "Local", instructions: "-", hints: [], points: 1, checks: [{ ...check, path: "out" }] },
          { id: "missing", title: "Missing", instructions: "-", hints: ["h"], points: 1, checks: [{ ...check, path: "nowhere" }] },
        ],
      };
      const grade = await gradeLab(local, target);
      expect(grade.steps.map((step) => [step.stepId, step.passed, step.checks[0]?.finding, step.checks[0]?.feedback])).toEqual([
        ["local", true, "spark-output.passed", "All 3 days match the averages of your readings (within ±0.01)."],
        ["missing", false, "spark-output.missing", "Directory nowhere does not exist in your workspace."],
      ]);
    },
    minutes(1),
  );
});
