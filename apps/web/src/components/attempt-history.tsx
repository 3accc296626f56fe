import { type HintUsage, hintUsageText } from "~/lib/hint-usage";
import { LabInlineMarkdown } from "./lab-markdown";
import { Moment } from "./moment";
import styles from "./dashboards.module.css";

/** What both the learner's own dashboard and the instructor's learner page know of an attempt. */
export type AttemptRow = {
  id: string;
  labTitle: string;
  score: number;
  maxScore: number;
  createdAt: string;
  /** The hints revealed for the attempt: instructors see them; the learner's own dashboard leaves them out. */
  hints?: HintUsage;
  steps: {
    stepId: string;
    title: string;
    passed: boolean;
    earned: number;
    points: number;
    checks: { description: string; passed: boolean; feedback: string; timedOut: boolean }[];
  }[];
};

/**
 * Graded lab attempts, newest first, each with its steps' results: passed or failed, points,
 * and the feedback of each check (the grader's words, for the learner's own numbers). `zone`
 * is the cohort's time zone (UTC for self-paced learners, who have none).
 */
export function AttemptHistory({ attempts, zone, now, caption }: { attempts: AttemptRow[]; zone: string; now: string; caption: string }) {
  if (attempts.length === 0) return <p className="muted">No lab checked yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className={styles.visuallyHidden}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Lab</th>
            <th scope="col">Score</th>
            <th scope="col">Step results</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id}>
              <td>
                <Moment at={a.createdAt} zone={zone} now={now} />
              </td>
              <td>{a.labTitle}</td>
              <td>
                {a.score}/{a.maxScore}
                {a.hints && (
                  <span className="muted" style={{ display: "block" }} data-testid="attempt-hints">
                    {hintUsageText(a.hints)}
                  </span>
                )}
              </td>
              <td>
                {a.steps.length === 0 ? (
                  <span className="muted">No step results stored for this attempt.</span>
                ) : (
                  <ul className={styles.steps}>
                    {a.steps.map((s) => (
                      <li key={s.stepId} className={s.passed ? styles.passed : styles.failed}>
                        <strong>{s.passed ? "✓ Passed" : "✗ Failed"}</strong> {s.title} · {s.earned}/{s.points} points
                        {s.checks.some((c) => !c.passed) && (
                          <ul className="lab-feedback">
                            {s.checks
                              .filter((c) => !c.passed)
                              .map((c, i) => (
                                // A step's checks have no id of their own: their place in the step is theirs.
                                <li key={i}>
                                  <LabInlineMarkdown text={c.feedback || c.description} />
                                  {c.timedOut && <span className="muted"> (the check timed out)</span>}
                                </li>
                              ))}
                          </ul>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
