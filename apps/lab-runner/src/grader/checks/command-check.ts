import type { CommandCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckTimeout, summariseError } from "../check-failure";
import { excerpt, failed, passed, type CheckVerdict } from "./verdict";

/** The last line of stderr that is not a stack frame: usually the tool's own error message. */
export function lastErrorLine(stderr: string): string | undefined {
  const lines = stderr.split("\n").filter((line) => line.trim() && !/^\s+at\s|^\s*\.\.\. \d+ more/.test(line));
  const line = lines.at(-1);
  return line === undefined ? undefined : excerpt(summariseError(new Error(line)), 160);
}

/** Runs the lab's own (trusted) argv in the sandbox; the exit code and stdout decide. */
export async function checkCommand(check: CommandCheck, session: GradingSession, timeoutMs: number): Promise<CheckVerdict> {
  const { driver, sandboxId } = session.target;
  const result = await driver.exec(sandboxId, check.argv, { timeoutMs });
  const command = `\`${check.argv.join(" ")}\``;
  if (result.timedOut) throw new CheckTimeout(`${command} timed out`);
  const expected = check.expectExitCode ?? 0;
  if (result.exitCode !== expected) {
    const error = lastErrorLine(result.stderr);
    return failed("exit-code", `${command} exited with ${result.exitCode}; this step expects ${expected}.${error ? ` It said: ${error}` : ""}`);
  }
  if (check.stdoutIncludes !== undefined && !result.stdout.includes(check.stdoutIncludes)) {
    return failed("missing-output", `${command} did not print "${check.stdoutIncludes}".`);
  }
  const printed = check.stdoutIncludes !== undefined ? ` and printed "${check.stdoutIncludes}"` : "";
  return passed(`${command} exited with ${expected}${printed}.`);
}
