/**
 * Rows grouped by a key, each group in input order. (Map.groupBy arrives with Node 21; the
 * platform supports Node 20.) Appends in place: copying a group per row, as a spread does,
 * makes grouping a learner's thousand events quadratic.
 */
export function groupBy<T, K>(rows: Iterable<T>, keyOf: (row: T) => K): Map<K, T[]> {
  const grouped = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = grouped.get(key);
    if (group) group.push(row);
    else grouped.set(key, [row]);
  }
  return grouped;
}
