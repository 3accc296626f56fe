import type { Lab } from "@cookbook/content/labs";
import { SandboxNotFoundError } from "../driver/sandbox-driver";
import { GradingSession } from "./check-context";
import type { GradeOptions, GradeTarget, LabGrade, StepGrade } from "./lab-grade";
import { runCheck } from "./run-check";

export const defaultCheckTimeoutMs = 20_000;

/**
 * Grades a learner's sandbox against a lab: every check reads the sandbox's real state from
 * lab-runner (Kafka's admin API, WebHDFS, or a trusted command through the driver), and every
 * expected value comes from the lab and the seed, never from a file the learner can edit.
 * Checks run concurrently, each under its own timeout; a step passes when all its checks do.
 * Rejects with SandboxNotFoundError when the sandbox does not exist.
 */
export async function gradeLab(lab: Lab, target: GradeTarget, options: GradeOptions = {}): Promise<LabGrade> {
  const status = await target.driver.status(target.sandboxId);
  if (!status) throw new SandboxNotFoundError(target.sandboxId);
  const session = new GradingSession(lab, target, status, options.clock);
  try {
    const steps = await Promise.all(
      lab.steps.map(async (step): Promise<StepGrade> => {
        const checks = await Promise.all(
          step.checks.map((check) => runCheck(check, session, check.timeoutMs ?? options.checkTimeoutMs ?? defaultCheckTimeoutMs)),
        );
        const passed = checks.every((check) => check.passed);
        return {
          stepId: step.id,
          title: step.title,
          passed,
          earned: passed ? step.points : 0,
          points: step.points,
          checks,
          hints: passed ? [] : [...step.hints],
        };
      }),
    );
    return {
      labSlug: lab.slug,
      labVersion: lab.version,
      score: steps.reduce((sum, step) => sum + step.earned, 0),
      maxScore: lab.steps.reduce((sum, step) => sum + step.points, 0),
      steps,
    };
  } finally {
    await session.close();
  }
}
