/** The hints of one attempt a learner revealed, as the gradebook shows them. */
export type HintUsage = { used: number; answers: number };

/**
 * How many hints of an attempt were revealed, and how many of those gave the answer away: the
 * last hint of a step that has several (the lab panel warns before it shows one). `hintsByStep`
 * are the hints each step of the attempt offered.
 */
export function hintUsage(reveals: readonly { stepId: string; hintIndex: number }[], hintsByStep: ReadonlyMap<string, readonly string[]>): HintUsage {
  let answers = 0;
  for (const r of reveals) {
    const count = hintsByStep.get(r.stepId)?.length ?? 0;
    if (count > 1 && r.hintIndex === count - 1) answers++;
  }
  return { used: reveals.length, answers };
}

/** "hints used: 2 (1 showed the answer)", "hints used: 1", "no hints used". */
export function hintUsageText(usage: HintUsage): string {
  if (usage.used === 0) return "no hints used";
  return `hints used: ${usage.used}${usage.answers > 0 ? ` (${usage.answers} showed the answer)` : ""}`;
}
