import { DriftBaseline, MALIGNANT_PROBABILITY_EDGES, type Database } from "@leukoflow/shared";

/** The rolling window live predictions are compared with the baseline over. */
export const DRIFT_WINDOW_MS = 24 * 3_600_000;

/** One model version's predictions for one lab within the window, binned as its baseline is. */
export interface DriftWindow {
  model: string;
  lab: string;
  predictions: number;
  oodFlagged: number;
  confidenceSum: number;
  classCounts: Record<string, number>;
  /** Per P(malignant) bin (MALIGNANT_PROBABILITY_EDGES). */
  malignantProbabilityCounts: number[];
  /** Per OOD-score bin of the baseline; null without a baseline with OOD bins. */
  oodScoreCounts: number[] | null;
  baseline: DriftBaseline | null;
}

/** Reads the window in one grouped query: per model version, lab, label, P(malignant) bin, OOD-score bin and OOD flag. */
export async function readDriftWindows(db: Database, since: Date): Promise<DriftWindow[]> {
  const versions = await db.modelVersions.listDriftBaselines();
  const byRef = new Map(versions.map((v) => [`${v.name}@${v.version}`, v]));
  const rows = await db.modelVersions.predictionGroupsSince(since, MALIGNANT_PROBABILITY_EDGES);
  const windows = new Map<string, DriftWindow>();
  for (const row of rows) {
    const key = `${row.model}\u0000${row.lab}`;
    let window = windows.get(key);
    if (!window) {
      const version = byRef.get(row.model);
      const parsed = DriftBaseline.safeParse(version?.driftBaseline);
      const baseline = parsed.success ? parsed.data : null;
      window = {
        model: row.model,
        lab: row.lab,
        predictions: 0,
        oodFlagged: 0,
        confidenceSum: 0,
        classCounts: Object.fromEntries((version?.classes ?? []).map((name) => [name, 0])),
        malignantProbabilityCounts: new Array<number>(MALIGNANT_PROBABILITY_EDGES.length + 1).fill(0),
        oodScoreCounts: baseline?.oodScore ? new Array<number>(baseline.oodScore.shares.length).fill(0) : null,
        baseline,
      };
      windows.set(key, window);
    }
    window.predictions += row.n;
    window.confidenceSum += row.confidence;
    if (row.ood) window.oodFlagged += row.n;
    window.classCounts[row.label] = (window.classCounts[row.label] ?? 0) + row.n;
    window.malignantProbabilityCounts[row.mpBin]! += row.n;
    if (window.oodScoreCounts && row.oodBin !== null) window.oodScoreCounts[row.oodBin]! += row.n;
  }
  return [...windows.values()];
}
