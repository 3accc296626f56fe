import type { Lab } from "@cookbook/content/labs";
import { findingCodePattern } from "@cookbook/lab-runner-api/contract";
import { describe, expect, it } from "vitest";
import { SandboxNotFoundError, type ExecOptions, type ExecResult, type SandboxStatus } from "../driver/sandbox-driver";
import { gradeLab } from "./grade-lab";
import type { GradeTarget } from "./lab-grade";
import { seedLab } from "./seed-lab";

/** A driver that answers status and exec from a script, so grading logic runs without services. */
function fakeDriver(status: SandboxStatus | null, exec: (argv: readonly string[], options?: ExecOptions) => Promise<ExecResult>) {
  const calls: { argv: readonly string[]; options?: ExecOptions }[] = [];
  return {
    calls,
    driver: {
      status: async () => status,
      exec: async (_id: string, argv: readonly string[], options?: ExecOptions) => {
        calls.push({ argv, options });
        return exec(argv, options);
      },
    },
  };
}

const status = (kafka: SandboxStatus["services"]["kafka"]): SandboxStatus => ({
  sandboxId: "sb",
  spec: { sandboxId: "sb", services: ["kafka"] },
  services: { kafka },
  endpoints: { kafkaBootstrapServers: "127.0.0.1:1" },
});
const ok = (stdout = ""): ExecResult => ({ exitCode: 0, stdout, stderr: "", timedOut: false });
const sleepUntilKilled = (options?: ExecOptions) =>
  new Promise<ExecResult>((resolve) => setTimeout(() => resolve({ exitCode: null, stdout: "", stderr: "", timedOut: true }), options?.timeoutMs));

const lab: Lab = {
  slug: "fake-lab",
  version: 3,
  title: "Fake",
  lessonKey: "21.5-how-to-produce-and-consume-messages",
  services: ["kafka"],
  summary: "-",
  dataset: { kind: "sensor-readings", file: "data/readings.csv", days: 1, intervalSeconds: 3600 },
  steps: [
    {
      id: "fast",
      title: "Fast",
      instructions: "-",
      hints: ["h1"],
      points: 2,
      checks: [{ kind: "command", argv: ["echo", "hello"], stdoutIncludes: "hello", feedback: { pass: "Well done: {detail}" } }],
    },
    { id: "slow", title: "Slow", instructions: "-", hints: ["h2"], points: 3, checks: [{ kind: "command", argv: ["sleep", "9"], timeoutMs: 50 }] },
    {
      id: "failing",
      title: "Failing",
      instructions: "-",
      hints: ["h3"],
      points: 1,
      checks: [{ kind: "command", argv: ["false"] }],
    },
    {
      id: "topic",
      title: "Topic",
      instructions: "-",
      hints: ["h4"],
      points: 4,
      checks: [{ kind: "kafka-topic", topic: "t", partitions: 3, feedback: { fail: "{detail} Use --partitions 3." } }],
    },
  ],
};

function scriptedExec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
  if (argv[0] === "echo") return Promise.resolve(ok("hello\n"));
  if (argv[0] === "sleep") return sleepUntilKilled(options);
  return Promise.resolve({
    exitCode: 1,
    stdout: "",
    stderr: "Exception in thread main java.lang.IllegalStateException: broken\n\tat Foo.bar(Foo.java:1)\n",
    timedOut: false,
  });
}

describe("gradeLab", () => {
  it("grades every step on its own: a timeout or a stopped service fails only its step", async () => {
    const { driver } = fakeDriver(status({ state: "failed", reason: "broker exited (signal SIGKILL)", logTail: "" }), scriptedExec);
    const grade = await gradeLab(lab, { driver, sandboxId: "sb", seed: "s" });
    expect(grade).toMatchObject({ labSlug: "fake-lab", labVersion: 3, score: 2, maxScore: 10 });
    expect(grade.steps.map((s) => [s.stepId, s.passed, s.earned, s.hints])).toEqual([
      ["fast", true, 2, []],
      ["slow", false, 0, ["h2"]],
      ["failing", false, 0, ["h3"]],
      ["topic", false, 0, ["h4"]],
    ]);
    const [fast, slow, failing, topic] = grade.steps.map((s) => s.checks[0]);
    expect(fast).toEqual({
      kind: "command",
      description: '`echo hello` exits with 0 and prints "hello"',
      passed: true,
      finding: "command.passed",
      feedback: 'Well done: `echo hello` exited with 0 and printed "hello".',
      timedOut: false,
    });
    expect(slow).toMatchObject({
      passed: false,
      finding: "command.timeout",
      timedOut: true,
      feedback: expect.stringContaining("did not finish within 50 ms"),
    });
    expect(failing?.finding).toBe("command.exit-code");
    expect(failing?.feedback).toBe(
      "`false` exited with 1; this step expects 0. It said: Exception in thread main java.lang.IllegalStateException: broken",
    );
    expect(topic).toMatchObject({ passed: false, finding: "kafka-topic.unavailable", timedOut: false });
    // A stopped service is no finding about the learner's work: the step's template is not applied.
    expect(topic?.feedback).toBe(
      "Kafka is not running in your sandbox (failed: broker exited (signal SIGKILL)). Start the lab again to bring it back, then check again.",
    );
  });

  it("uses the default timeout from the options for checks without their own", async () => {
    const { driver } = fakeDriver(status({ state: "ready" }), (_argv, options) => sleepUntilKilled(options));
    const quick: Lab = { ...lab, steps: [{ ...(lab.steps[2] as Lab["steps"][number]), checks: [{ kind: "command", argv: ["sleep", "1"] }] }] };
    const grade = await gradeLab(quick, { driver, sandboxId: "sb", seed: "s" }, { checkTimeoutMs: 30 });
    expect(grade.steps[0]?.checks[0]).toMatchObject({ timedOut: true, feedback: expect.stringContaining("within 30 ms") });
  });

  it("names every result with a stable finding code, which the lab's feedback template does not change", async () => {
    const exec = async (argv: readonly string[]): Promise<ExecResult> => {
      if (argv[0] === "crash") throw new Error("exec channel closed");
      if (argv[0] === "hang") return { exitCode: null, stdout: "", stderr: "", timedOut: true };
      return ok("something else\n");
    };
    const { driver } = fakeDriver(status({ state: "ready" }), exec);
    const step = (id: string, check: Lab["steps"][number]["checks"][number]) => ({
      id,
      title: id,
      instructions: "-",
      hints: ["h"],
      points: 1,
      checks: [check],
    });
    const findings: Lab = {
      ...lab,
      steps: [
        step("printed", { kind: "command", argv: ["echo"], stdoutIncludes: "hello", feedback: { fail: "Print hello: {detail}" } }),
        step("printed-plain", { kind: "command", argv: ["echo"], stdoutIncludes: "hello" }),
        step("crash", { kind: "command", argv: ["crash"], feedback: { fail: "Never shown: {detail}" } }),
        step("hang", { kind: "command", argv: ["hang"] }),
        step("no-hdfs", { kind: "hdfs-path", path: "/data/x" }),
      ],
    };
    const grade = await gradeLab(findings, { driver, sandboxId: "sb", seed: "s" });
    const checks = grade.steps.map((s) => s.checks[0]);
    expect(checks.map((c) => c?.finding)).toEqual([
      "command.missing-output",
      "command.missing-output",
      "command.error",
      "command.timeout",
      "hdfs-path.unavailable",
    ]);
    for (const check of checks) expect(check?.finding).toMatch(findingCodePattern);
    expect(checks[0]?.feedback).toBe('Print hello: `echo` did not print "hello".');
    expect(checks[2]?.feedback).toBe("The grader could not finish this check: exec channel closed");
    expect(checks[3]).toMatchObject({ timedOut: true, passed: false });
  });

  it("rejects an unknown sandbox", async () => {
    const { driver } = fakeDriver(null, scriptedExec);
    await expect(gradeLab(lab, { driver, sandboxId: "gone", seed: "s" })).rejects.toBeInstanceOf(SandboxNotFoundError);
  });
});

describe("seedLab", () => {
  it("writes the dataset generated from the seed through exec with stdin", async () => {
    const { driver, calls } = fakeDriver(status({ state: "ready" }), async () => ok());
    const target: GradeTarget = { driver, sandboxId: "sb", seed: "learner" };
    expect(await seedLab(lab, target)).toEqual({ dataset: { file: "data/readings.csv", bytes: 16 + 24 * 26 }, topics: {} });
    expect(calls[0]?.argv.slice(-1)).toEqual(["data/readings.csv"]);
    expect(calls[0]?.options?.stdin).toMatch(/^timestamp,value\n(2016-\d\d-\d\d \d\d:\d\d:\d\d,\d\d\.\d\d\n){24}$/);
    await seedLab(lab, { ...target, seed: "someone else" });
    expect(calls[1]?.options?.stdin).not.toBe(calls[0]?.options?.stdin);
  });

  it("fails loudly when the sandbox cannot take the file", async () => {
    const { driver } = fakeDriver(status({ state: "ready" }), async () => ({ exitCode: 1, stdout: "", stderr: "disk full", timedOut: false }));
    await expect(seedLab(lab, { driver, sandboxId: "sb", seed: "s" })).rejects.toThrow("seeding lab fake-lab into sandbox sb failed: disk full");
  });
});
