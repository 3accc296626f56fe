import type { DeliveredRecordsCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure } from "../check-failure";
import { seededRecordMessages } from "../seeded-records";
import { evaluateDelivered } from "./delivered-records";
import { failed, type CheckVerdict } from "./verdict";

/** Judges the learner's store in the workspace (JSON lines) against the seeded topic's records. */
export async function checkDeliveredRecords(check: DeliveredRecordsCheck, session: GradingSession, timeoutMs: number): Promise<CheckVerdict> {
  const seeded = session.lab.seededTopics?.find((topic) => topic.topic === check.topic);
  if (!seeded) throw new CheckFailure("unknown-topic", `This lab seeds no topic ${check.topic}.`);
  const text = await session.workspaceFile(check.file, timeoutMs);
  if (text === null) {
    return failed(
      "missing-file",
      `${check.file} does not exist in your home directory: your consumer stores the records it processed there, one JSON object a line.`,
    );
  }
  const items = text.split("\n").map((line, i) => ({ text: line, where: `line ${i + 1}` }));
  return evaluateDelivered({
    what: check.file,
    medium: "file",
    seeded,
    messages: seededRecordMessages(seeded, session.target.seed),
    items,
  });
}
