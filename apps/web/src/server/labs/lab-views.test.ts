import { findLab } from "@cookbook/content/labs";
import type { LabAttemptRow, LabSandboxRow } from "@cookbook/db/queries/labs";
import type { SandboxView } from "@cookbook/lab-runner-api/contract";
import { describe, expect, it } from "vitest";
import { attemptInfo, attemptStepHints, publicLab, sandboxInfo, sandboxInfoFromRow } from "./lab-views";

const lab = findLab("kafka-sensor-readings");
if (!lab) throw new Error("the Kafka lab is missing");

const view = (over: Partial<SandboxView>): SandboxView => ({
  id: "sb-1",
  tenantId: "t",
  userId: "u",
  labSlug: lab.slug,
  labVersion: 1,
  state: "running",
  endedReason: null,
  failure: null,
  services: {},
  createdAt: "2026-01-01T10:00:00.000Z",
  endsAt: "2026-01-01T10:30:00.000Z",
  expiresAt: "2026-01-01T12:00:00.000Z",
  idleExpiresAt: "2026-01-01T10:30:00.000Z",
  ...over,
});

describe("lab views", () => {
  it("lists services in the lab's order with the reason and the end of the log of a failed one", () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const info = sandboxInfo(
      view({
        services: { spark: { state: "starting" }, kafka: { state: "failed", reason: "exited with 137", logTail: log }, hdfs: { state: "ready" } },
      }),
      ["kafka", "hdfs", "spark"],
    );
    expect(info.services.map((s) => [s.name, s.state, s.reason])).toEqual([
      ["kafka", "failed", "exited with 137"],
      ["hdfs", "ready", null],
      ["spark", "starting", null],
    ]);
    expect(info.services[0]?.logTail?.split("\n")).toHaveLength(15);
    expect(info.services[0]?.logTail?.endsWith("line 39")).toBe(true);
  });

  it("says why a sandbox failed or ended", () => {
    expect(sandboxInfo(view({ state: "failed", endedReason: "failed", failure: "Kafka failed to start: port in use" })).message).toBe(
      "Kafka failed to start: port in use",
    );
    expect(sandboxInfo(view({ state: "ended", endedReason: "idle" })).message).toBe("This lab was removed after it had been idle for a while.");
    expect(sandboxInfo(view({ state: "ended", endedReason: "expired" })).message).toBe("This lab reached its time limit and was removed.");
    expect(sandboxInfo(view({})).message).toBeNull();
    const row = {
      id: "sb-2",
      labSlug: lab.slug,
      state: "ended",
      endedReason: "lost",
      failure: null,
      createdAt: new Date("2026-01-01T10:00:00Z"),
      expiresAt: new Date("2026-01-01T12:00:00Z"),
      endedAt: new Date("2026-01-01T11:00:00Z"),
    } as LabSandboxRow;
    expect(sandboxInfoFromRow(row)).toMatchObject({
      message: "This lab was lost when the lab service restarted.",
      endsAt: "2026-01-01T11:00:00.000Z",
      services: [],
    });
  });

  it("shows a lab without its checks and hints, and hints only for the steps an attempt failed", () => {
    const shown = publicLab(lab);
    expect(shown.maxScore).toBe(lab.steps.reduce((n, s) => n + s.points, 0));
    expect(JSON.stringify(shown)).not.toMatch(/"checks"|"hints"/);
    const steps = lab.steps.map((s, i) => ({
      stepId: s.id,
      title: s.title,
      passed: i === 0,
      earned: i === 0 ? s.points : 0,
      points: s.points,
      checks: [{ kind: "x", description: "d", passed: i === 0, feedback: "f", timedOut: false }],
      hints: [],
    }));
    const row = {
      id: "a",
      sandboxId: "sb-1",
      labVersion: 1,
      score: 2,
      maxScore: 8,
      createdAt: new Date(),
      result: { labSlug: lab.slug, labVersion: 1, score: 2, maxScore: 8, steps },
    } as unknown as LabAttemptRow;
    const info = attemptInfo(row, lab);
    expect(info.steps.map((s) => s.hints)).toEqual([[], lab.steps[1]?.hints, lab.steps[2]?.hints]);
    // A stored result of an unknown shape shows the score without steps rather than failing.
    expect(attemptInfo({ ...row, result: { nonsense: true } }, lab).steps).toEqual([]);
  });
});

describe("attemptStepHints", () => {
  it("gives each step of a stored attempt the hints the panel offered: none once passed, else the grader's or the lab's", () => {
    const [first, second, third] = lab.steps;
    if (!first || !second || !third) throw new Error("the Kafka lab has fewer than three steps");
    const step = (id: string, passed: boolean, hints: string[]) => ({
      stepId: id,
      title: id,
      passed,
      earned: 0,
      points: 2,
      checks: [{ kind: "x", description: "d", passed, feedback: "f", timedOut: false }],
      hints,
    });
    const result = {
      labSlug: lab.slug,
      labVersion: 1,
      score: 2,
      maxScore: 8,
      steps: [step(first.id, true, []), step(second.id, false, []), step(third.id, false, ["own"])],
    };
    expect(attemptStepHints(result, lab)).toEqual(
      new Map([
        [first.id, []],
        [second.id, second.hints],
        [third.id, ["own"]],
      ]),
    );
    expect(attemptStepHints({ nonsense: true }, lab)).toEqual(new Map());
  });
});
