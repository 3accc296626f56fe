/**
 * A finding that ends a check early with feedback for the learner ("Topic x does not exist
 * yet."), as opposed to a bug or an unreachable service, whose message is only summarised.
 * `finding` names it within the check's kind (`unreadable` becomes `spark-output.unreadable`).
 */
export class CheckFailure extends Error {
  override name = "CheckFailure";

  constructor(
    readonly finding: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The sandbox cannot be asked (a service is stopped, crashed or unreachable). Not a finding about
 * the learner's work, so the lab's feedback templates are not applied to it.
 */
export class SandboxUnavailable extends Error {
  override name = "SandboxUnavailable";
}

/** Thrown when a check's own deadline passed inside it (an exec that timed out). */
export class CheckTimeout extends Error {
  override name = "CheckTimeout";
}

/** The first line of an error's message, without anything that looks like a stack frame, kept short. */
export function summariseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").find((l) => l.trim() && !/^\s*at\s/.test(l)) ?? "unknown error";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line.trim();
}
