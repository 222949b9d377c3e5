import { MALIGNANT_PROBABILITY_EDGES, populationStabilityIndex, type Database } from "@leukoflow/shared";
import { Gauge } from "prom-client";
import { DRIFT_WINDOW_MS, readDriftWindows, type DriftWindow } from "./model-drift-window.js";
import type { PipelineMetrics } from "./pipeline-metrics.js";
import { COLLECT_TIMEOUT_MS } from "./queue-depth.js";
import { withTimeout } from "./with-timeout.js";

/** The features whose distribution the drift score compares with the baseline. */
type DriftFeature = "ood_score" | "malignant_probability" | "class_mix";

const MP_BIN_LABELS = [0, ...MALIGNANT_PROBABILITY_EDGES].map((low, i, all) => `${low}-${all[i + 1] ?? 1}`);

/** PSI of each feature against the baseline; a feature the baseline lacks is left out. */
function driftScores(window: DriftWindow): Partial<Record<DriftFeature, number>> {
  const { baseline } = window;
  if (!baseline) return {};
  const classes = Object.keys(baseline.classMix);
  return {
    ...(window.oodScoreCounts && baseline.oodScore
      ? { ood_score: populationStabilityIndex(window.oodScoreCounts, baseline.oodScore.shares) }
      : {}),
    malignant_probability: populationStabilityIndex(window.malignantProbabilityCounts, baseline.malignantProbability),
    class_mix: populationStabilityIndex(
      classes.map((name) => window.classCounts[name] ?? 0),
      classes.map((name) => baseline.classMix[name]!),
    ),
  };
}

/**
 * Exports, per model version and lab, what its predictions of the rolling window look like (OOD-flag
 * rate, mean confidence, class mix, P(malignant) bins) and how far they are from the version's
 * baseline (PSI per feature), read from Postgres at each scrape; export it from one process only.
 */
export function exportModelDrift(metrics: PipelineMetrics, db: Database, windowMs = DRIFT_WINDOW_MS): void {
  // The gauges of one scrape share one read of the window.
  let read: { at: number; windows: Promise<DriftWindow[] | undefined> } | null = null;
  const windows = (): Promise<DriftWindow[] | undefined> => {
    if (!read || Date.now() - read.at > COLLECT_TIMEOUT_MS) {
      const since = new Date(Date.now() - windowMs);
      read = {
        at: Date.now(),
        windows: withTimeout(readDriftWindows(db, since), COLLECT_TIMEOUT_MS).catch(() => undefined),
      };
    }
    return read.windows;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    set: (gauge: Gauge<L>, window: DriftWindow) => void,
  ): void => {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const window of (await windows()) ?? []) set(this, window);
      },
    });
  };
  const at = (window: DriftWindow) => ({ model: window.model, lab: window.lab });
  gauge(
    "leukoflow_model_window_predictions",
    "Predictions of the rolling drift window, per model version and lab",
    ["model", "lab"],
    (g, w) => g.set(at(w), w.predictions),
  );
  gauge(
    "leukoflow_model_ood_rate",
    "Share of the window's predictions flagged out of distribution",
    ["model", "lab"],
    (g, w) => g.set(at(w), w.oodFlagged / w.predictions),
  );
  gauge(
    "leukoflow_model_baseline_ood_rate",
    "Share of the model's monitor blocks flagged out of distribution (its drift baseline)",
    ["model", "lab"],
    (g, w) => {
      if (w.baseline) g.set(at(w), w.baseline.oodRate);
    },
  );
  gauge("leukoflow_model_mean_confidence", "Mean confidence of the window's predictions", ["model", "lab"], (g, w) =>
    g.set(at(w), w.confidenceSum / w.predictions),
  );
  gauge(
    "leukoflow_model_class_share",
    "Share of the window's predictions per predicted class",
    ["model", "lab", "class"],
    (g, w) => {
      for (const [name, n] of Object.entries(w.classCounts)) g.set({ ...at(w), class: name }, n / w.predictions);
    },
  );
  gauge(
    "leukoflow_model_malignant_probability_share",
    "Share of the window's predictions per P(malignant) bin",
    ["model", "lab", "bin"],
    (g, w) => {
      w.malignantProbabilityCounts.forEach((n, i) => g.set({ ...at(w), bin: MP_BIN_LABELS[i]! }, n / w.predictions));
    },
  );
  gauge(
    "leukoflow_model_drift_psi",
    "Population stability index of the window against the model's baseline, per feature",
    ["model", "lab", "feature"],
    (g, w) => {
      for (const [feature, psi] of Object.entries(driftScores(w))) g.set({ ...at(w), feature }, psi);
    },
  );
}
