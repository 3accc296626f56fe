/** A lesson's lab as the outline marks it: its title, and the learner's best score once they have checked it. */
export type LabMarkInput = { title: string; best: { score: number; maxScore: number; done: boolean } | null };

const scoreText = (best: NonNullable<LabMarkInput["best"]>) => `${best.done ? "✓ " : ""}${best.score}/${best.maxScore}`;

/**
 * The outline's mark for a lesson's labs: "Lab", "Lab 6/8", "Lab ✓ 8/8"; with several labs
 * "2 labs" and each checked one's best ("2 labs · 6/8 · ✓ 4/4"). Empty when it has none.
 */
export function labMarkText(labs: readonly LabMarkInput[]): string {
  if (labs.length === 0) return "";
  const scores = labs.flatMap((l) => (l.best ? [scoreText(l.best)] : []));
  if (labs.length === 1) return scores.length > 0 ? `Lab ${scores[0]}` : "Lab";
  return [`${labs.length} labs`, ...scores].join(" · ");
}

/** The mark's longer form for screen readers and tooltips: each lab by title with its best score or "not checked yet". */
export function labMarkLabel(labs: readonly LabMarkInput[]): string {
  return labs
    .map((l) => `Lab ${l.title}: ${l.best ? `best ${l.best.score}/${l.best.maxScore}${l.best.done ? ", done" : ""}` : "not checked yet"}`)
    .join("; ");
}
