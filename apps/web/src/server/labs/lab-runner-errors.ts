import { LabRunnerError } from "@cookbook/lab-runner-api/client";
import { TRPCError } from "@trpc/server";

type TRPCCode = TRPCError["code"];

/** How each refusal of lab-runner reaches the browser; the learner-readable message goes along. */
const codeFor: Record<LabRunnerError["code"], TRPCCode> = {
  UNKNOWN_LAB: "NOT_FOUND",
  SANDBOX_NOT_FOUND: "NOT_FOUND",
  SANDBOX_NOT_RUNNING: "PRECONDITION_FAILED",
  // One running lab per learner: stop the other one first.
  LEARNER_LIMIT: "CONFLICT",
  // The organisation's labs are all in use: try again later.
  TENANT_LIMIT: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  BAD_REQUEST: "BAD_REQUEST",
  // Our own secret was refused: a configuration fault, not the learner's.
  UNAUTHORIZED: "INTERNAL_SERVER_ERROR",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: unknown): unknown {
  if (!(error instanceof LabRunnerError)) return error;
  return new TRPCError({ code: codeFor[error.code], message: error.message, cause: error });
}

/** Calls lab-runner, turning its refusals into API errors with its message. */
export async function callLabRunner<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toTRPCError(error);
  }
}
