import { scaleLinear, scalePoint } from "d3-scale";
import { area, curveMonotoneX, line } from "d3-shape";
import { ChartNumbers, countTicks, labelEvery } from "./chart-numbers";
import styles from "./charts.module.css";

/** One point of a series: `short` labels the axis ("23 Nov"), `label` the table and tooltip ("Week of 23 Nov 2026"). */
export type Point = { key: string; label: string; short: string; value: number };

const W = 640;
const H = 220;
const M = { top: 20, right: 16, bottom: 32, left: 40 };

/**
 * A series over time as a line, drawn on the server (see chart-numbers.tsx for why): active
 * learners per week. The aria-label gives the range and the latest value against the first.
 */
export function LineChart({
  title,
  points,
  categoryName,
  valueName,
  format = (n) => String(n),
  summary,
}: {
  title: string;
  points: Point[];
  /** The table's heading for the points' labels, e.g. "Week of". */
  categoryName: string;
  valueName: string;
  format?: (n: number) => string;
  summary?: string;
}) {
  const x = scalePoint<string>()
    .domain(points.map((p) => p.key))
    .range([M.left, W - M.right])
    .padding(0.3);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...points.map((p) => p.value))])
    .nice(4)
    .range([H - M.bottom, M.top]);
  const at = (p: Point) => x(p.key) ?? M.left;
  const path = line<Point>()
    .x(at)
    .y((p) => y(p.value))
    .curve(curveMonotoneX)(points);
  const under = area<Point>()
    .x(at)
    .y0(y(0))
    .y1((p) => y(p.value))
    .curve(curveMonotoneX)(points);
  const values = points.map((p) => p.value);
  const first = points[0];
  const last = points.at(-1);
  const gist =
    summary ??
    (!first || !last
      ? `${title}: no data yet.`
      : `${title}: from ${first.label} to ${last.label}, between ${format(Math.min(...values))} and ${format(Math.max(...values))}; ${format(last.value)} in ${last.label}, ${format(first.value)} in ${first.label}.`);
  const every = labelEvery(points.length, 12);
  return (
    <figure className={styles.figure}>
      <svg viewBox={`0 0 ${W} ${H}`} className={styles.svg} role="img" aria-label={gist}>
        {countTicks(y.ticks(4)).map((t) => (
          <g key={t}>
            <line className={t === 0 ? styles.axis : styles.grid} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className={styles.tick} x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {under && <path className={styles.area} d={under} />}
        {path && <path className={styles.line} d={path} />}
        {points.map((p, i) => (
          <g key={p.key}>
            <circle className={styles.point} cx={at(p)} cy={y(p.value)} r={3.5}>
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </circle>
            {i % every === 0 && (
              <text className={styles.tick} x={at(p)} y={H - M.bottom + 14} textAnchor="middle">
                {p.short}
              </text>
            )}
          </g>
        ))}
      </svg>
      <ChartNumbers
        caption={title}
        headers={[categoryName, valueName]}
        rows={points.map((p) => ({ key: p.key, cells: [p.label, format(p.value)] }))}
      />
    </figure>
  );
}
