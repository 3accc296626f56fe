import * as z from "zod";
import { checkResultSchema, labGradeSchema, stepGradeSchema } from "./contract";

/**
 * Finding codes: every check result names what the grader found as `<check kind>.<finding>`
 * (`kafka-topic.wrong-partitions`, `kafka-consumer-group.no-committed-offsets`, ...), so failure
 * patterns group by step and finding rather than by feedback text full of one learner's numbers.
 * Besides a checker's own findings, every kind has:
 * - `<kind>.passed`: the check passed;
 * - `<kind>.timeout`: it did not finish within its deadline;
 * - `<kind>.unavailable`: a service of the sandbox was stopped, crashed or unreachable (not a
 *   finding about the learner's work);
 * - `<kind>.error`: the grader itself failed (a bug, an unexpected answer).
 */

/**
 * A lab attempt's result as stored in `lab_attempts.result`: attempts graded before finding
 * codes existed have none, so reads accept it missing (and group those with findingOf).
 */
export const storedCheckResultSchema = checkResultSchema.extend({ finding: checkResultSchema.shape.finding.optional() });
export const storedLabGradeSchema = labGradeSchema.extend({
  steps: z.array(stepGradeSchema.extend({ checks: z.array(storedCheckResultSchema) })),
});
export type StoredCheckResult = z.infer<typeof storedCheckResultSchema>;
export type StoredLabGrade = z.infer<typeof storedLabGradeSchema>;

/**
 * Feedback reduced to its template, for results without a finding code: numbers become `{n}`,
 * quoted and backticked values `{value}`, runs of white space one space. "The group has committed
 * 12 offsets" and "... 96 offsets" become the same text; a different sentence stays different.
 */
export function normalizeFeedback(feedback: string): string {
  return feedback
    .replace(/"[^"]*"|`[^`]*`|“[^”]*”/g, "{value}")
    .replace(/\d+(?:\.\d+)?/g, "{n}")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What a check result groups under: its finding code, or for an old result its normalised
 * feedback (which has spaces, so it can never be mistaken for a code).
 */
export function findingOf(check: { finding?: string | undefined; feedback: string }): string {
  return check.finding ?? normalizeFeedback(check.feedback);
}
