/** Section numbers as paths: chapter 20 is [20], section 20.1.2 is [20, 1, 2]. */
export type SectionPath = readonly number[];

export const formatPath = (path: SectionPath): string => path.join(".");

export function comparePaths(a: SectionPath, b: SectionPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** The numbers that may follow `path` in a table of contents: its first child, or the next sibling of it or of an ancestor. */
export function successors(path: SectionPath): SectionPath[] {
  const next = path.map((_, depth) => [...path.slice(0, depth), (path[depth] ?? 0) + 1]);
  return [[...path, 1], ...next.reverse()].filter((p) => p.length > 0);
}

/**
 * Every number that must exist for `path` to exist: its ancestors and their lower
 * siblings, in order. 20.1.3 implies 20.1, 20.1.1 and 20.1.2.
 */
export function impliedBy(path: SectionPath): SectionPath[] {
  const implied: SectionPath[] = [];
  path.forEach((last, depth) => {
    const isOwnLevel = depth === path.length - 1;
    for (let n = 1; n < last || (!isOwnLevel && n === last); n++) implied.push([...path.slice(0, depth), n]);
  });
  return implied;
}

/**
 * Reads the number at the start of a table-of-contents line. A clean number is taken
 * as written when it moves forward. A garbled one ("1\t9.2", "2\tn 10", "28.10\t6Data"
 * for 28.16) is read as the successor of the previous entry whose digits it matches best,
 * because the contents list numbers in order.
 */
export function readTocNumber(written: string, previous: SectionPath): SectionPath | undefined {
  const trimmed = written.trim();
  if (/^\d+(?:\.\d+)*$/.test(trimmed)) {
    const path = trimmed.split(".").map(Number);
    if (comparePaths(path, previous) > 0) return path;
  }
  const digits = trimmed.replace(/\D/g, "");
  let best: { path: SectionPath; score: number } | undefined;
  for (const candidate of successors(previous)) {
    const candidateDigits = candidate.join("");
    const common = commonSubsequenceLength(candidateDigits, digits);
    // Tolerate one lost digit, no more.
    if (common === 0 || common < candidateDigits.length - 1) continue;
    const score = 2 * common - Math.abs(candidateDigits.length - digits.length);
    if (!best || score > best.score) best = { path: candidate, score };
  }
  return best?.path;
}

function commonSubsequenceLength(a: string, b: string): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const charA of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++) {
      next.push(charA === b[j] ? (row[j] ?? 0) + 1 : Math.max(row[j + 1] ?? 0, next[j] ?? 0));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
