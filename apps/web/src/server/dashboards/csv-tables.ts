import { findLab } from "@cookbook/content/labs";
import { listScopeAttempts } from "@cookbook/db/queries/gradebook";
import { stepGradeSchema } from "@cookbook/lab-runner-api/contract";
import { z } from "zod";
import { groupBy } from "~/lib/group-by";
import { type CsvBuilder, csvFilename } from "./csv-export";
import { loadGradebook } from "./gradebook";

/*
 * The two CSV tables. Column order is fixed (a spreadsheet or a script reading column 4 keeps
 * working): the learner's columns first, then the scope's items in book order.
 */

/** A column's header as the cohort pages name items: "Chapter 1: Start", "Lab: Kafka sensor readings". */
function itemHeader(item: { kind: "chapter" | "lab"; chapterNumber: number; title: string }): string {
  return item.kind === "chapter" ? `Chapter ${item.chapterNumber}: ${item.title}` : `Lab: ${item.title}`;
}

/**
 * learner, email, status, then per item: a chapter "done", "late" (done after its due time) or
 * "" (not done); a lab its best score ("" before any attempt). Rows in name order, as the gradebook.
 */
export const gradebookTable: CsvBuilder = async (tx, input) => {
  const book = await loadGradebook(tx, input);
  const columns = ["learner", "email", "status", ...book.columns.map(itemHeader)];
  const rows = book.rows.map((row) => [
    row.displayName,
    row.email,
    row.status,
    ...book.columns.map((column) => {
      const cell = row.cells[column.key];
      if (!cell) return "";
      if (column.kind === "lab") return cell.bestScore ?? "";
      return cell.late ? "late" : cell.done ? "done" : "";
    }),
  ]);
  return { filename: csvFilename("gradebook", input.scope, input.now), columns, rows };
};

const steps = z.array(stepGradeSchema.pick({ stepId: true, passed: true, earned: true, points: true }));

/**
 * One row per attempt and step (an attempt stored without step results: one row, step columns
 * empty): learner, email, lab, attempt (1 = the learner's first at that lab), attempt_id,
 * attempted_at, score, max_score, step, step_passed, step_earned, step_points. Learners in name
 * order, their attempts oldest first.
 */
export const attemptsTable: CsvBuilder = async (tx, input) => {
  const { scope } = input;
  const attempts = await listScopeAttempts(tx, { tenantId: input.tenantId, courseId: scope.courseId, userIds: scope.userIds });
  const byUser = groupBy(attempts, (a) => a.userId);
  const columns = [
    "learner",
    "email",
    "lab",
    "attempt",
    "attempt_id",
    "attempted_at",
    "score",
    "max_score",
    "step",
    "step_passed",
    "step_earned",
    "step_points",
  ];
  function* rows() {
    for (const member of scope.members) {
      const ordinal = new Map<string, number>();
      for (const a of byUser.get(member.userId) ?? []) {
        const n = (ordinal.get(a.labSlug) ?? 0) + 1;
        ordinal.set(a.labSlug, n);
        const lead = [member.displayName, member.email, findLab(a.labSlug)?.title ?? a.labSlug, n, a.id, a.createdAt, a.score, a.maxScore];
        const parsed = steps.safeParse((a.result as { steps?: unknown } | null)?.steps);
        const results = parsed.success ? parsed.data : [];
        if (results.length === 0) yield [...lead, "", "", "", ""];
        for (const s of results) yield [...lead, s.stepId, s.passed, s.earned, s.points];
      }
    }
  }
  return { filename: csvFilename("attempts", scope, input.now), columns, rows: rows() };
};
