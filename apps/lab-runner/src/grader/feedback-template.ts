import type { Check } from "@cookbook/content/labs";

/** Puts the grader's finding into the check's own wording, when the lab gives one. */
export function applyFeedbackTemplate(check: Check, passed: boolean, detail: string, description: string): string {
  const template = passed ? check.feedback?.pass : check.feedback?.fail;
  if (!template) return detail;
  return template.replace(/\{(detail|description)\}/g, (_, name: string) => (name === "detail" ? detail : description));
}
