/**
 * A check's outcome before templates and timeouts are applied: did it pass, what was found
 * (`finding`, a name within the check's kind that run-check turns into the code
 * `<kind>.<finding>`), and the detail in words for this learner.
 */
export interface CheckVerdict {
  passed: boolean;
  finding: string;
  detail: string;
}

export const passed = (detail: string): CheckVerdict => ({ passed: true, finding: "passed", detail });
export const failed = (finding: string, detail: string): CheckVerdict => ({ passed: false, finding, detail });

export interface Finding {
  finding: string;
  detail: string;
}

/**
 * A failed verdict for everything a check found wrong, or undefined when it found nothing. The
 * first finding names the verdict (checks test the most basic attribute first); the detail lists them all.
 */
export function failedWith(findings: readonly Finding[]): CheckVerdict | undefined {
  const [first] = findings;
  return first && failed(first.finding, findings.map((f) => f.detail).join(" "));
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A learner's text cut short (and flattened to one line) so a huge message cannot flood the page. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** The excerpt in double quotes, as feedback shows learner data. */
export const quote = (text: string, max = 80) => `"${excerpt(text, max)}"`;
