/*
 * Why charts are d3-scale + d3-shape computed in server components, not a client charting library:
 * - Bundle size: the scales and path generators run while the server renders; the browser gets
 *   finished <svg> markup and zero bytes of chart JavaScript (no hydration, no "use client").
 *   Recharts, Chart.js or Nivo need the browser to draw, 50-150 kB gzipped before any data.
 * - Accessibility: an SVG with role="img" and an aria-label that says what it shows (the gist: range,
 *   highest, latest), plus the same numbers as a real table (ChartNumbers), which no canvas chart gives.
 * - Works without JavaScript and prints; the numbers are the live query's, never a second request.
 */
import styles from "./charts.module.css";

/** A row of a chart's text equivalent: what the mark stands for and its numbers, already formatted. */
export type NumbersRow = { key: string; cells: string[] };

/**
 * The text equivalent every chart carries: the same numbers as a table, inside a <details> so it
 * costs sighted readers one line and works without JavaScript. The SVG's aria-label gives the
 * gist; this gives every value, for screen readers, for copying, and for anyone the colours fail.
 */
export function ChartNumbers({ caption, headers, rows }: { caption: string; headers: string[]; rows: NumbersRow[] }) {
  return (
    <details className={styles.numbers}>
      <summary>The numbers</summary>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {/* A row's cells are positional (the headers' order), so their index is their identity. */}
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={i}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Tick values for a count axis: at most `count` of them, whole numbers only (no "2.5 learners"). */
export function countTicks(ticks: number[]): number[] {
  return ticks.filter((t) => Number.isInteger(t));
}

/** With many categories, label every n-th one so labels never overlap; the table has them all. */
export function labelEvery(count: number, maxLabels: number): number {
  return Math.max(1, Math.ceil(count / maxLabels));
}
