import type { DeliveredRecordsCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure, CheckTimeout } from "../check-failure";
import { seededRecordMessages } from "../seeded-records";
import { evaluateDelivered } from "./delivered-records";
import { failed, type CheckVerdict } from "./verdict";

/** A store of a few hundred records is far below this; more is refused rather than read. */
const maxFileBytes = 4 * 1024 * 1024;

/** Reads at most maxFileBytes of a workspace file; prints "missing" when there is none. */
const readFileScript = `f="$1"
if [ ! -f "$f" ]; then echo missing; exit 0; fi
echo present
head -c ${maxFileBytes} -- "$f"`;

/** Judges the learner's store in the workspace (JSON lines) against the seeded topic's records. */
export async function checkDeliveredRecords(check: DeliveredRecordsCheck, session: GradingSession, timeoutMs: number): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.topic);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.topic}.`);
  const { driver, sandboxId } = session.target;
  const result = await driver.exec(sandboxId, ["/bin/sh", "-c", readFileScript, "delivered-records", check.file], { timeoutMs });
  if (result.timedOut) throw new CheckTimeout(`reading ${check.file} timed out`);
  if (result.exitCode !== 0) throw new CheckFailure("unreadable", `Could not read ${check.file} in your workspace.`);
  const newline = result.stdout.indexOf("\n");
  if (result.stdout.slice(0, newline) !== "present") {
    return failed(
      "missing-file",
      `${check.file} does not exist in your home directory: your consumer stores the records it processed there, one JSON object a line.`,
    );
  }
  const items = result.stdout
    .slice(newline + 1)
    .split("\n")
    .map((text, i) => ({ text, where: `line ${i + 1}` }));
  return evaluateDelivered({
    what: check.file,
    medium: "file",
    seeded,
    messages: seededRecordMessages(seeded, session.target.seed),
    items,
  });
}
