import type { EpochRecord } from "./train.js";
import { CLASS_BALANCE_DESCRIPTIONS, type ClassBalance } from "./class-balance.js";
import type { Evaluation } from "../evaluation/evaluation.js";
import { REPORT_FILES } from "../evaluation/report-files.js";
import type { StainNormalization } from "@leukoflow/contracts";

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

/** What a training run reports: report.json holds it, report.md renders it. */
export interface TrainingReport {
  name: string;
  architecture: string;
  parameters: number;
  inputSize: number;
  /** Colour normalization applied to every image (absent in reports before it existed: none). */
  stainNormalization?: StainNormalization;
  backend: string;
  datasets: string[];
  split: {
    test: string;
    monitor: string;
    trainImages: number;
    monitorImages: number;
    testImages: number;
    /** `train --extra`: folders whose images all trained (counted in trainImages); copies of split images were dropped. */
    extra?: { dirs: string[]; images: number; alreadyInData: number };
  };
  augmentation: string;
  /** Absent in reports before the option existed: those runs weighted the loss. */
  classBalance?: ClassBalance;
  /** The model whose weights started this run ("name version"); absent when initialised at random. */
  initialisedFrom?: string;
  epochs: { planned: number; run: number; best: number };
  history: EpochRecord[];
  temperature: number;
  /** Held-out test blocks, probabilities temperature-scaled. */
  test: Evaluation;
  testEceBeforeScaling: number;
  monitor: Evaluation;
  trainingSeconds: number;
  peakRssMb: number;
}

export function evaluationTable(rows: [string, Evaluation][]): string {
  const lines = rows.map(
    ([label, e]) =>
      `| ${label} | ${e.n} | ${pct(e.accuracy)} | ${pct(e.balancedAccuracy)} | ${e.weightedF1.toFixed(3)} | ${pct(e.malignant.sensitivity)} | ${pct(e.malignant.specificity)} | ${e.malignant.auc.toFixed(4)} | ${pct(e.malignant.sensitivityAtSpecificity95)} | ${e.ece.toFixed(4)} |`,
  );
  return `| set | images | accuracy | balanced accuracy | weighted F1 | malignant sensitivity | malignant specificity | malignant AUC | sensitivity at specificity ≥ 95 % | ECE |
|---|---|---|---|---|---|---|---|---|---|
${lines.join("\n")}`;
}

export function classTables(e: Evaluation): string {
  const perClass = e.classes
    .map((name) => {
      const c = e.perClass[name]!;
      return `| ${name} | ${c.support} | ${pct(c.precision)} | ${pct(c.recall)} | ${c.f1.toFixed(3)} |`;
    })
    .join("\n");
  const confusion = e.confusion.map((row, i) => `| ${e.classes[i]} | ${row.join(" | ")} |`).join("\n");
  return `| class | support | precision | recall | F1 |
|---|---|---|---|---|
${perClass}

| true \\ predicted | ${e.classes.join(" | ")} |
|---|${e.classes.map(() => "---").join("|")}|
${confusion}`;
}

export function trainingReportMarkdown(r: TrainingReport): string {
  const history = r.history
    .map(
      (h) =>
        `| ${h.epoch} | ${h.learningRate.toExponential(1)} | ${h.trainLoss.toFixed(3)} | ${pct(h.trainAccuracy)} | ${pct(h.monitorBalancedAccuracyMovingAverages)} | ${h.monitorLoss.toFixed(3)} | ${pct(h.monitorBalancedAccuracy)} | ${h.seconds.toFixed(0)} s |`,
    )
    .join("\n");
  return `# ${r.name} — ${r.architecture}

${r.parameters} parameters, ${r.inputSize}×${r.inputSize} RGB input${r.stainNormalization === "reinhard" ? " (Reinhard stain normalization)" : ""}, trained with \`leukoflow train\` on the tfjs ${r.backend} backend
in ${(r.trainingSeconds / 60).toFixed(1)} min (peak RSS ${r.peakRssMb} MB); best epoch ${r.epochs.best} of ${r.epochs.run} run (${r.epochs.planned} planned).

## Data and split (no patient IDs: contiguous file-number blocks, never random)
- Data: ${r.datasets.join(", ")}.
- Test (held out; never used for training, model selection or calibration): ${r.split.test}.
- Monitor (early stopping, best epoch, temperature): ${r.split.monitor}.
- Images: ${r.split.trainImages} train, ${r.split.monitorImages} monitor, ${r.split.testImages} test.${r.split.extra ? `\n- Extra training images (all on the training side, never held out): ${r.split.extra.images} from ${r.split.extra.dirs.join(", ")}; ${r.split.extra.alreadyInData} copies of images already in the data left where the split put them.` : ""}
- Augmentation (seeded): ${r.augmentation}.
- Class balance: ${CLASS_BALANCE_DESCRIPTIONS[r.classBalance ?? "loss"]}.${r.initialisedFrom ? `\n- Initial weights: ${r.initialisedFrom} (fine-tuned from it; same split, so none of its training images is in these test blocks).` : ""}

## Metrics (inference mode, probabilities temperature-scaled with T = ${r.temperature.toFixed(3)})
${evaluationTable([
  ["test (held-out blocks)", r.test],
  ["monitor", r.monitor],
])}

ECE on the test blocks before temperature scaling: ${r.testEceBeforeScaling.toFixed(4)}.

${classTables(r.test)}

![confusion matrix](${REPORT_FILES.confusion}) ![ROC](${REPORT_FILES.roc}) ![reliability](${REPORT_FILES.reliability})

## Training history
Monitor columns: balanced accuracy with BatchNorm moving averages as training left them, then loss
and balanced accuracy after re-estimating BN statistics on training images (see packages/ml/README.md).

| epoch | lr | train loss | train acc (augmented, batch stats) | monitor bal. acc, moving averages | monitor loss | monitor bal. acc | time |
|---|---|---|---|---|---|---|---|
${history}
`;
}
