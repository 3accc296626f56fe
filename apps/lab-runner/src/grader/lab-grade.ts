import type { CheckKind } from "@cookbook/content/labs";
import type { SandboxDriver } from "../driver/sandbox-driver";

/**
 * Whose sandbox to grade: the seed is the one the sandbox was provisioned (and seeded) with.
 * The grader needs only status (endpoints, service states) and exec from the driver.
 */
export interface GradeTarget {
  driver: Pick<SandboxDriver, "status" | "exec">;
  sandboxId: string;
  seed: string;
}

export interface GradeOptions {
  /** Per check, unless the check sets its own timeoutMs; default 20 s. */
  checkTimeoutMs?: number;
  /** The grader's clock; real time unless a test moves it. */
  clock?: () => Date;
}

export interface CheckGrade {
  kind: CheckKind;
  description: string;
  passed: boolean;
  /** What the grader found as a stable code, `<kind>.<finding>` (e.g. `kafka-topic.wrong-partitions`): what failure patterns group by. */
  finding: string;
  /** What the grader found, in words a learner can act on; never a stack trace. */
  feedback: string;
  timedOut: boolean;
}

export interface StepGrade {
  stepId: string;
  title: string;
  /** All of the step's checks passed. */
  passed: boolean;
  /** `points` when passed, else 0. */
  earned: number;
  points: number;
  checks: CheckGrade[];
  /** The step's hints when it failed; empty when it passed. */
  hints: string[];
}

export interface LabGrade {
  labSlug: string;
  labVersion: number;
  /** Sum of the points of the passed steps (partial credit). */
  score: number;
  maxScore: number;
  steps: StepGrade[];
}
