import type { ClassificationMetrics, ModelMetadata } from "../model-metadata.js";
import type { TrainClassifierResult } from "../train.js";

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

function metricsRow(label: string, m: ClassificationMetrics): string {
  return `| ${label} | ${m.images} | ${pct(m.accuracy)} | ${pct(m.balancedAccuracy)} | ${pct(m.malignant.sensitivity)} | ${pct(m.malignant.specificity)} |`;
}

/** The human-readable report shipped beside a trained model. */
export function writeShippedReport(meta: ModelMetadata, result: TrainClassifierResult): string {
  const m = meta.metrics;
  const confusion = m.confusion.map((row, i) => `| ${meta.classes[i]} | ${row.join(" | ")} |`).join("\n");
  const perClass = meta.classes.map((name) => {
    const c = m.perClass[name]!;
    return `| ${name} | ${c.support} | ${pct(c.precision)} | ${pct(c.recall)} | ${c.f1.toFixed(3)} |`;
  }).join("\n");
  const history = result.history.map((h) => `| ${h.epoch} | ${h.learningRate.toExponential(1)} | ${h.trainLoss.toFixed(3)} | ${pct(h.trainAccuracy)} | ${pct(h.monitorBalancedAccuracyMovingAverages)} | ${h.monitorLoss.toFixed(3)} | ${pct(h.monitorBalancedAccuracy)} | ${h.seconds.toFixed(0)} s |`).join("\n");
  return `# ${meta.name} — ${meta.architecture}, ${meta.task}

Custom CNN (${String(meta.parameters)} parameters), ${meta.inputSize}×${meta.inputSize} RGB input, ${meta.normalization.description}.
Trained on the tfjs ${String(meta.backend)} backend in ${Math.round(meta.trainingSeconds / 60)} min (peak RSS ${meta.peakRssMb} MB), best epoch ${result.bestEpoch} of ${result.history.length}.

## Data and split (no patient IDs: validated on contiguous file-number blocks)
- Dataset: ${meta.validation.dataset} (Aria et al., Taleqani Hospital; Ghaderzadeh et al., Int J Intell Syst 2022).
- Test (reported below, never used for training or model selection): ${meta.validation.split}.
- ${String(meta.monitorSplit)}.
- Training images: ${String(meta.trainImages)}, with seeded flips/90° rotations, zoom, shift and colour/stain jitter.

## Test metrics (inference mode, ${m.images} held-out images)
| set | images | accuracy | balanced accuracy | malignant sensitivity | malignant specificity |
|---|---|---|---|---|---|
${metricsRow("test (shipped model)", m)}
${metricsRow("monitor (model selection)", result.monitorMetrics)}

| class | support | precision | recall | F1 |
|---|---|---|---|---|
${perClass}

Confusion (rows true, columns predicted: ${meta.classes.join(", ")}):

| true \\ predicted | ${meta.classes.join(" | ")} |
|---|${meta.classes.map(() => "---").join("|")}|
${confusion}

## Training history
| epoch | lr | train loss | train acc (batch stats, augmented) | monitor balanced acc, BN moving averages | monitor loss, BN recalibrated | monitor balanced acc, BN recalibrated | time |
|---|---|---|---|---|---|---|---|
${history}

## BatchNormalization
${String(meta.batchNormRecalibration)}. The moving-average column above shows why: tfjs starts the
moving mean/variance at 0/1 (momentum 0.99, no bias correction) and the first BN layer's true input
variance is ~0.04, so early on the moving variance is several times too large; and while the
learning rate is high the weights move faster than the ~100-step averaging window, so even
averages reset to exact values at the end of the previous epoch are off again one epoch later
(epochs 3-7). Inference mode then sits far below training mode; the moving averages only catch
up once the learning rate has decayed (epochs 8-10). The update arithmetic itself is exact on
wasm (packages/ml/src/training/batch-norm-moving-average.test.ts).

## Caveats
Contiguous blocks reduce but cannot rule out patient overlap at block edges (10 images either side
of the test block were dropped). One lab, one camera: expect lower accuracy on other sources.
The held-back official test set of the dataset was not used.
`;
}
