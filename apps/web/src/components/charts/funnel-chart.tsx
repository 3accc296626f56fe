import { scaleLinear } from "d3-scale";
import { ChartNumbers } from "./chart-numbers";
import styles from "./charts.module.css";

/** One stage of a funnel: e.g. "Part 2: Basic Skills" and the learners who completed a lesson of it. */
export type Stage = { key: string; label: string; value: number };

const W = 640;
const ROW = 38;
const M = { top: 6, right: 120, bottom: 6, left: 8 };

const percentOf = (value: number, of: number) => (of === 0 ? 0 : Math.round((value / of) * 100));

/**
 * A completion funnel, drawn on the server (see chart-numbers.tsx for why): one horizontal bar
 * per stage in order, as long as its count against the largest stage, with the count and its
 * share of the first stage. Stages need not shrink (a learner may skip a part): bars are
 * scaled to the largest, and the share is always of the first.
 */
export function FunnelChart({ title, stages, valueName, summary }: { title: string; stages: Stage[]; valueName: string; summary?: string }) {
  const first = stages[0];
  const last = stages.at(-1);
  const x = scaleLinear()
    .domain([0, Math.max(1, ...stages.map((s) => s.value))])
    .range([0, W - M.left - M.right]);
  const height = M.top + M.bottom + stages.length * ROW;
  const share = (s: Stage) => percentOf(s.value, first?.value ?? 0);
  const gist =
    summary ??
    (!first || !last
      ? `${title}: no stages.`
      : `${title}: ${first.value} in ${first.label}${last.key !== first.key ? `, ${last.value} (${share(last)}%) in ${last.label}` : ""}.`);
  return (
    <figure className={styles.figure}>
      <svg viewBox={`0 0 ${W} ${Math.max(height, ROW)}`} className={styles.svg} role="img" aria-label={gist}>
        {stages.map((s, i) => {
          const top = M.top + i * ROW;
          const width = x(s.value);
          return (
            <g key={s.key}>
              <text className={styles.label} x={M.left} y={top + 11}>
                {s.label}
              </text>
              <rect className={styles.barEmpty} x={M.left} y={top + 16} width={W - M.left - M.right} height={14} rx={3} />
              <rect className={styles.bar} x={M.left} y={top + 16} width={Math.max(width, s.value > 0 ? 2 : 0)} height={14} rx={3}>
                <title>{`${s.label}: ${s.value} (${share(s)}% of the first)`}</title>
              </rect>
              <text className={styles.value} x={W - M.right + 8} y={top + 27}>
                {i === 0 ? String(s.value) : `${s.value} · ${share(s)}%`}
              </text>
            </g>
          );
        })}
      </svg>
      <ChartNumbers
        caption={title}
        headers={["Stage", valueName, "Of the first stage"]}
        rows={stages.map((s) => ({ key: s.key, cells: [s.label, String(s.value), `${share(s)}%`] }))}
      />
    </figure>
  );
}
