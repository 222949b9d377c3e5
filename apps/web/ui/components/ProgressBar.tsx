/** A progress bar that also states the count in text, for screens and screen readers alike. */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <span className="progress">
      <progress max={Math.max(total, 1)} value={done} aria-label={label} />
      <span className="progress-text">
        {done} of {total}
      </span>
    </span>
  );
}
