export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s % 60).padStart(2, "0")}`;
}

/** Estimates time left from the mean time per finished unit of work. */
export class EtaClock {
  private readonly started = performance.now();
  constructor(private readonly totalUnits: number) {}

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  remainingSeconds(doneUnits: number): number {
    return doneUnits === 0 ? NaN : (this.elapsedSeconds() / doneUnits) * (this.totalUnits - doneUnits);
  }
}
