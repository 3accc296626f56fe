import { scaleBand, scaleLinear } from "d3-scale";
import { ChartNumbers, countTicks, labelEvery } from "./chart-numbers";
import styles from "./charts.module.css";

/** One bar: `short` labels the axis (e.g. "3" or "23 Nov"), `label` the table and the tooltip. */
export type Bar = { key: string; label: string; short: string; value: number; detail?: string };

const W = 640;
const H = 240;
const M = { top: 20, right: 12, bottom: 32, left: 40 };

/**
 * Vertical bars, drawn on the server (see chart-numbers.tsx for why): progress per chapter
 * (values in percent, `max` 100), completions per week (counts). `summary` overrides the
 * aria-label, which otherwise names the highest bar and the last one.
 */
export function BarChart({
  title,
  bars,
  categoryName,
  valueName,
  max,
  format = (n) => String(n),
  summary,
}: {
  title: string;
  bars: Bar[];
  /** The table's heading for the bars' labels, e.g. "Chapter" or "Week of". */
  categoryName: string;
  /** The table's heading for the value column, e.g. "Completions" or "Done (%)". */
  valueName: string;
  /** A fixed top of the value axis (100 for percentages); otherwise the largest value. */
  max?: number;
  format?: (n: number) => string;
  summary?: string;
}) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.key))
    .range([M.left, W - M.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, top])
    .nice(4)
    .range([H - M.bottom, M.top]);
  const ticks = max === undefined ? countTicks(y.ticks(4)) : y.ticks(4);
  const every = labelEvery(bars.length, 14);
  const highest = bars.reduce<Bar | null>((best, b) => (best === null || b.value > best.value ? b : best), null);
  const last = bars.at(-1);
  const hasDetail = bars.some((b) => b.detail !== undefined);
  const gist =
    summary ??
    (bars.length === 0 || !highest || !last
      ? `${title}: no data yet.`
      : `${title}: highest ${highest.label} (${format(highest.value)})${last.key !== highest.key ? `; last ${last.label} (${format(last.value)})` : ""}.`);
  return (
    <figure className={styles.figure}>
      <svg viewBox={`0 0 ${W} ${H}`} className={styles.svg} role="img" aria-label={gist}>
        {ticks.map((t) => (
          <g key={t}>
            <line className={t === 0 ? styles.axis : styles.grid} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className={styles.tick} x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const left = x(b.key) ?? 0;
          const height = y(0) - y(b.value);
          return (
            <g key={b.key}>
              {/* A zero still shows where its bar would be, so an empty week reads as zero, not missing. */}
              <rect
                className={b.value === 0 ? styles.barEmpty : styles.bar}
                x={left}
                width={x.bandwidth()}
                y={b.value === 0 ? y(0) - 2 : y(b.value)}
                height={b.value === 0 ? 2 : height}
              >
                <title>{`${b.label}: ${format(b.value)}${b.detail ? ` (${b.detail})` : ""}`}</title>
              </rect>
              {bars.length <= 24 && b.value > 0 && (
                <text className={styles.value} x={left + x.bandwidth() / 2} y={y(b.value) - 4} textAnchor="middle">
                  {format(b.value)}
                </text>
              )}
              {i % every === 0 && (
                <text className={styles.tick} x={left + x.bandwidth() / 2} y={H - M.bottom + 14} textAnchor="middle">
                  {b.short}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ChartNumbers
        caption={title}
        headers={[categoryName, valueName, ...(hasDetail ? ["Details"] : [])]}
        rows={bars.map((b) => ({ key: b.key, cells: [b.label, format(b.value), ...(hasDetail ? [b.detail ?? ""] : [])] }))}
      />
    </figure>
  );
}
