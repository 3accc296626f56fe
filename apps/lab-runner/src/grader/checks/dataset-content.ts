/**
 * Compares a file's bytes with the learner's dataset and says how they differ, in terms a
 * learner can check with `wc -l` and `head`. null when they are identical.
 */
export function contentDifference(actual: Buffer, expected: string): string | null {
  const wanted = Buffer.from(expected, "utf8");
  if (actual.equals(wanted)) return null;
  const lines = (buffer: Buffer) => buffer.toString("utf8").split("\n").length - 1;
  if (actual.length !== wanted.length) {
    return `it has ${lines(actual)} lines (${actual.length} bytes), your dataset ${lines(wanted)} lines (${wanted.length} bytes)`;
  }
  const actualLines = actual.toString("utf8").split("\n");
  const wantedLines = expected.split("\n");
  const index = wantedLines.findIndex((line, i) => actualLines[i] !== line);
  return `line ${index + 1} is not the same as in your dataset`;
}
