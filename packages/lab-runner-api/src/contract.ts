import * as z from "zod";
import { sandboxEndReasons, sandboxLifecycleStates, serviceStates } from "./vocabulary";

/**
 * The internal HTTP API between the web app and lab-runner (JSON over HTTP, `Authorization:
 * Bearer <LAB_RUNNER_SECRET>` on every route but /health). The web app decides who may touch a
 * sandbox (tenant middleware + row-level security); lab-runner only trusts that caller. The
 * routes that carry these shapes are in routes.ts.
 */

export const serviceStateSchema = z.object({
  state: z.enum(serviceStates),
  reason: z.string().optional(),
  logTail: z.string().optional(),
});

export const sandboxViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  labSlug: z.string(),
  labVersion: z.number().int(),
  state: z.enum(sandboxLifecycleStates),
  endedReason: z.enum(sandboxEndReasons).nullable(),
  /** Why the sandbox or one of its services failed, in words a learner can act on. */
  failure: z.string().nullable(),
  services: z.record(z.string(), serviceStateSchema),
  createdAt: z.iso.datetime(),
  /** The earlier of the hard TTL and the idle deadline: what the UI counts down to. */
  endsAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  idleExpiresAt: z.iso.datetime(),
});
export type SandboxView = z.infer<typeof sandboxViewSchema>;

export const startSandboxInputSchema = z.object({
  tenantId: z.uuid(),
  userId: z.string().min(1).max(100),
  labSlug: z.string().regex(/^[a-z0-9-]{1,80}$/),
});
export type StartSandboxInput = z.infer<typeof startSandboxInputSchema>;

export const startSandboxOutputSchema = z.object({
  sandbox: sandboxViewSchema,
  /** false when the learner's live sandbox for this lab was returned (a second start). */
  created: z.boolean(),
});

/** A finding code: `<check kind>.<finding>`, e.g. `kafka-topic.wrong-partitions` (see findings.ts). */
export const findingCodePattern = /^[a-z0-9-]+\.[a-z0-9-]+$/;

export const checkResultSchema = z.object({
  kind: z.string(),
  description: z.string(),
  passed: z.boolean(),
  /**
   * What the check found, as a stable code that failure patterns group by; the feedback is its
   * wording for this learner (with their numbers, and the lab's own template).
   */
  finding: z.string().regex(findingCodePattern),
  feedback: z.string(),
  timedOut: z.boolean(),
});

export const stepGradeSchema = z.object({
  stepId: z.string(),
  title: z.string(),
  passed: z.boolean(),
  earned: z.number(),
  points: z.number(),
  checks: z.array(checkResultSchema),
  hints: z.array(z.string()),
});

export const labGradeSchema = z.object({
  labSlug: z.string(),
  labVersion: z.number().int(),
  score: z.number(),
  maxScore: z.number(),
  steps: z.array(stepGradeSchema),
});
export type LabGradeView = z.infer<typeof labGradeSchema>;

export const sandboxOutputSchema = z.object({ sandbox: sandboxViewSchema });

export const checkOutputSchema = z.object({ sandbox: sandboxViewSchema, grade: labGradeSchema });

/** GET /health: `ok` or `degraded`, and whatever else the deployment's probes should know. */
export const healthOutputSchema = z.looseObject({ status: z.enum(["ok", "degraded"]) });

export const labRunnerErrorCodes = [
  "UNAUTHORIZED",
  "BAD_REQUEST",
  "UNKNOWN_LAB",
  "SANDBOX_NOT_FOUND",
  "SANDBOX_NOT_RUNNING",
  "LEARNER_LIMIT",
  "TENANT_LIMIT",
  "INTERNAL",
] as const;
export type LabRunnerErrorCode = (typeof labRunnerErrorCodes)[number];

export const errorBodySchema = z.object({ error: z.object({ code: z.enum(labRunnerErrorCodes), message: z.string() }) });
