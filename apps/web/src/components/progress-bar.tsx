export function ProgressBar({ completed, total, label }: { completed: number; total: number; label: string }) {
  const percent = total === 0 ? 0 : Math.round((completed / total) * 100);
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={completed}>
      <div className="progress-fill" style={{ width: `${percent}%` }} />
      <span className="progress-text">
        {completed}/{total} · {percent}%
      </span>
    </div>
  );
}
