import type { LabRunnerErrorCode } from "@cookbook/lab-runner-api/contract";

const statusOf: Record<LabRunnerErrorCode, number> = {
  UNAUTHORIZED: 401,
  BAD_REQUEST: 400,
  UNKNOWN_LAB: 404,
  SANDBOX_NOT_FOUND: 404,
  SANDBOX_NOT_RUNNING: 409,
  LEARNER_LIMIT: 429,
  TENANT_LIMIT: 429,
  INTERNAL: 500,
};

/** A refusal the caller can show as is: the message is written for the learner. */
export class LabRunnerFailure extends Error {
  readonly status: number;
  constructor(
    readonly code: LabRunnerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LabRunnerFailure";
    this.status = statusOf[code];
  }
}
