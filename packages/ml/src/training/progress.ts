export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s % 60).padStart(2, "0")}`;
}

/** Estimates time left from the mean time per unit of work finished since the clock started. */
export class EtaClock {
  private readonly started = performance.now();
  constructor(
    private readonly totalUnits: number,
    private readonly unitsBefore = 0,
  ) {}

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  remainingSeconds(doneUnits: number): number {
    const done = doneUnits - this.unitsBefore;
    return done <= 0 ? NaN : (this.elapsedSeconds() / done) * (this.totalUnits - doneUnits);
  }
}

export function progressBar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

/**
 * Progress on a terminal redraws one line; elsewhere (logs, nohup) it prints every `everySteps`
 * calls so the file stays readable. Plain log lines go through `line`.
 */
export interface ProgressSink {
  update(text: string, final: boolean): void;
  line(text: string): void;
}

export function stderrProgress(everySteps = 10): ProgressSink {
  const tty = process.stderr.isTTY === true;
  let calls = 0,
    open = false;
  return {
    update(text, final) {
      calls++;
      if (tty) {
        process.stderr.write(`\r${text}\x1b[K`);
        open = true;
      } else if (final || calls % everySteps === 0) process.stderr.write(`${text}\n`);
    },
    line(text) {
      if (open) {
        process.stderr.write("\n");
        open = false;
      }
      process.stderr.write(`${text}\n`);
    },
  };
}
