/** A check's outcome before templates and timeouts are applied: did it pass, and what was found. */
export interface CheckVerdict {
  passed: boolean;
  detail: string;
}

export const passed = (detail: string): CheckVerdict => ({ passed: true, detail });
export const failed = (detail: string): CheckVerdict => ({ passed: false, detail });

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A learner's text cut short (and flattened to one line) so a huge message cannot flood the page. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** The excerpt in double quotes, as feedback shows learner data. */
export const quote = (text: string, max = 80) => `"${excerpt(text, max)}"`;
