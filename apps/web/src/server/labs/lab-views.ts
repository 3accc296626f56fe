import type { Lab } from "@cookbook/content/labs";
import type { LabAttemptRow, LabSandboxRow } from "@cookbook/db/queries/labs";
import type { SandboxView } from "@cookbook/lab-runner-api/contract";
import { type StoredLabGrade, storedLabGradeSchema } from "@cookbook/lab-runner-api/findings";
import { sandboxEndMessages, type SandboxEndReason, type SandboxLifecycleState, type ServiceState } from "@cookbook/lab-runner-api/vocabulary";

/*
 * What the browser gets of labs, sandboxes and attempts: only the parts a learner may see (no
 * checks, no seeds, no hints before a failed check), with dates as ISO strings so server
 * components and the HTTP API hand out the same shapes.
 */

export interface ServiceInfo {
  name: string;
  state: ServiceState;
  reason: string | null;
  logTail: string | null;
}

export interface SandboxInfo {
  id: string;
  labSlug: string;
  state: SandboxLifecycleState;
  endedReason: SandboxEndReason | null;
  /** Why it failed or ended, in words for the learner; null while all is well. */
  message: string | null;
  services: ServiceInfo[];
  createdAt: string;
  /** What the time-left counter counts down to (the earlier of the time limit and the idle deadline). */
  endsAt: string;
}

/** The last lines of a log, enough to see why a service died. */
const lastLines = (text: string | undefined, n = 15) => (text ? text.trimEnd().split("\n").slice(-n).join("\n") : null);

function messageOf(state: SandboxLifecycleState, endedReason: SandboxEndReason | null, failure: string | null): string | null {
  if (state === "failed") return failure ?? sandboxEndMessages.failed;
  if (state !== "ended") return failure;
  if (endedReason === "failed" && failure) return failure;
  return sandboxEndMessages[endedReason ?? "stopped"];
}

/** lab-runner's live view; services in the lab's own order. */
export function sandboxInfo(view: SandboxView, serviceOrder: readonly string[] = []): SandboxInfo {
  const names = [...serviceOrder.filter((s) => s in view.services), ...Object.keys(view.services).filter((s) => !serviceOrder.includes(s))];
  return {
    id: view.id,
    labSlug: view.labSlug,
    state: view.state,
    endedReason: view.endedReason,
    message: messageOf(view.state, view.endedReason, view.failure),
    services: names.flatMap((name) => {
      const s = view.services[name];
      return s ? [{ name, state: s.state, reason: s.reason ?? null, logTail: lastLines(s.logTail) }] : [];
    }),
    createdAt: view.createdAt,
    endsAt: view.endsAt,
  };
}

/** What Postgres knows when lab-runner is not asked (an ended sandbox) or cannot answer. */
export function sandboxInfoFromRow(row: LabSandboxRow): SandboxInfo {
  return {
    id: row.id,
    labSlug: row.labSlug,
    state: row.state,
    endedReason: row.endedReason,
    message: messageOf(row.state, row.endedReason, row.failure),
    services: [],
    createdAt: row.createdAt.toISOString(),
    endsAt: (row.endedAt ?? row.expiresAt).toISOString(),
  };
}

export interface StepResult {
  stepId: string;
  title: string;
  passed: boolean;
  earned: number;
  points: number;
  checks: { description: string; passed: boolean; feedback: string; timedOut: boolean }[];
  /** Only for a failed step: hints are earned by trying. */
  hints: string[];
}

export interface AttemptInfo {
  id: string;
  sandboxId: string;
  labVersion: number;
  score: number;
  maxScore: number;
  createdAt: string;
  steps: StepResult[];
}

/** The hints a graded step offers: none once it passes, else the grader's, or the lab's own when the grader gave none. */
function hintsOf(step: StoredLabGrade["steps"][number], lab: Lab | undefined): string[] {
  if (step.passed) return [];
  return step.hints.length > 0 ? step.hints : (lab?.steps.find((s) => s.id === step.stepId)?.hints ?? []);
}

/**
 * The hints each step of a stored attempt offered the learner (as the lab panel showed them),
 * by step id; empty for a result that is not a grade.
 */
export function attemptStepHints(result: unknown, lab: Lab | undefined): Map<string, string[]> {
  const grade = storedLabGradeSchema.safeParse(result);
  return new Map(grade.success ? grade.data.steps.map((step) => [step.stepId, hintsOf(step, lab)] as const) : []);
}

function stepResults(grade: StoredLabGrade | null, lab: Lab | undefined): StepResult[] {
  if (!grade) return [];
  return grade.steps.map((step) => {
    return {
      stepId: step.stepId,
      title: step.title,
      passed: step.passed,
      earned: step.earned,
      points: step.points,
      checks: step.checks.map((c) => ({ description: c.description, passed: c.passed, feedback: c.feedback, timedOut: c.timedOut })),
      hints: hintsOf(step, lab),
    };
  });
}

export function attemptInfo(row: LabAttemptRow, lab: Lab | undefined): AttemptInfo {
  // Attempts stored before check results carried a finding code still show their steps.
  const grade = storedLabGradeSchema.safeParse(row.result);
  return {
    id: row.id,
    sandboxId: row.sandboxId,
    labVersion: row.labVersion,
    score: row.score,
    maxScore: row.maxScore,
    createdAt: row.createdAt.toISOString(),
    steps: stepResults(grade.success ? grade.data : null, lab),
  };
}

export interface PublicLab {
  slug: string;
  version: number;
  title: string;
  summary: string;
  services: string[];
  maxScore: number;
  steps: { id: string; title: string; instructions: string; points: number }[];
}

/** The lab as a learner reads it: no checks, no hints. */
export function publicLab(lab: Lab): PublicLab {
  return {
    slug: lab.slug,
    version: lab.version,
    title: lab.title,
    summary: lab.summary,
    services: [...lab.services],
    maxScore: lab.steps.reduce((n, s) => n + s.points, 0),
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title, instructions: s.instructions, points: s.points })),
  };
}

/** A lab as a cohort learner sees it before it opens: its title, services and points, none of its text. */
export function withoutInstructions(lab: PublicLab): PublicLab {
  return { ...lab, summary: "", steps: lab.steps.map((s) => ({ ...s, instructions: "" })) };
}
