const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: a span back from `now` (30m, 12h, 7d) or a date (2026-12-01, any ISO time). */
export function parseSince(value: string, now = new Date()): Date {
  const span = /^(\d+(?:\.\d+)?)([mhd])$/.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_MS[span[2] as keyof typeof UNIT_MS]);
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--since ${value}: expected a span such as 7d, 12h, 30m, or a date`);
  return date;
}
