import { DriftBaseline, MALIGNANT_PROBABILITY_EDGES, Prisma, type PrismaClient } from "@leukoflow/shared";

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

interface GroupRow {
  model: string;
  lab: string;
  label: string;
  mpBin: number;
  oodBin: number | null;
  ood: boolean;
  n: number;
  confidence: number;
}

/** Reads the window in one grouped query: per model version, lab, label, P(malignant) bin, OOD-score bin and OOD flag. */
export async function readDriftWindows(prisma: PrismaClient, since: Date): Promise<DriftWindow[]> {
  const versions = await prisma.modelVersion.findMany({
    select: { name: true, version: true, classes: true, driftBaseline: true },
  });
  const byRef = new Map(versions.map((v) => [`${v.name}@${v.version}`, v]));
  const mpEdges = Prisma.sql`ARRAY[${Prisma.join([...MALIGNANT_PROBABILITY_EDGES])}]::float8[]`;
  const rows = await prisma.$queryRaw<GroupRow[]>`
    SELECT m.name || '@' || m.version AS model, l.slug AS lab, p.label,
           width_bucket(p.malignant_probability, ${mpEdges}) AS "mpBin",
           CASE WHEN p.ood_score IS NULL OR jsonb_typeof(m.drift_baseline->'oodScore') IS DISTINCT FROM 'object' THEN NULL
                ELSE width_bucket(p.ood_score, ARRAY(SELECT jsonb_array_elements_text(m.drift_baseline->'oodScore'->'edges')::float8)) END AS "oodBin",
           COALESCE(p.ood_score > 0, false) AS ood,
           count(*)::int AS n, sum(p.confidence)::float8 AS confidence
    FROM prediction p
    JOIN image i ON i.id = p.image_id
    JOIN lab l ON l.id = i.lab_id
    JOIN model_version m ON m.id = p.model_version_id
    WHERE p.created_at >= ${since}
    GROUP BY 1, 2, 3, 4, 5, 6`;
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
