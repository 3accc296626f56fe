/**
 * Lab texts are Markdown with code fences and inline code; writing them as lines of ordinary
 * strings keeps backticks unescaped (a template literal would need every one escaped).
 */
export const markdown = (...lines: string[]) => lines.join("\n");
