// Issue 23, part 4, the cheap half: what moves the benign / early pre-B boundary without training.
// For each variant (test-time augmentation of the default model; soft votes of shipped models) the
// operating point is fitted on the monitor blocks exactly as `models calibrate --target-sensitivity
// 0.99` fits it, then applied to the held-out blocks: image sensitivity/specificity, the AUC of
// P(malignant), specificity at 99 % sensitivity, benign recall, and the lab specimens' figures.
//   npx tsx bench/benign-boundary.ts [--variants default-none,default-flips,...]
import path from "node:path";
import { parseArgs } from "node:util";
import {
  clinicalFigures,
  evaluateFolder,
  fitOperatingPoint,
  thresholdForTarget,
  type Estimate,
  type TtaMode,
} from "@leukoflow/ml";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";
import { isMalignantClass, malignantProbability } from "@leukoflow/contracts";

const DATASET = ariaOriginalDir();
const model = (name: string) => path.join(modelsDir(), name);
const VARIANTS: Record<string, { dirs: string[]; tta: TtaMode }> = {
  "default-none": { dirs: [model("aria-robust-cnn-112")], tta: "none" },
  "default-flips": { dirs: [model("aria-robust-cnn-112")], tta: "flips" },
  "default-dihedral": { dirs: [model("aria-robust-cnn-112")], tta: "dihedral" },
  "112+80-flips": { dirs: [model("aria-robust-cnn-112"), model("aria-robust-cnn")], tta: "flips" },
  "ensemble-v1-flips": { dirs: [model("aria-ensemble-v1")], tta: "flips" },
};
const { values } = parseArgs({ options: { variants: { type: "string", default: Object.keys(VARIANTS).join(",") } } });

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const interval = (e: Estimate, format = pct) => `${format(e.value)} (${format(e.low)}–${format(e.high)})`;

console.log(
  "| variant | image / specimen threshold (monitor) | held-out sensitivity | held-out specificity | AUC | best specificity at ≥ 99 % sensitivity (threshold fitted on held-out) | specimens: sensitivity / specificity |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const name of values.variants.split(",")) {
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(", ")}`);
  const run = (split: "monitor" | "held-out") =>
    evaluateFolder({ modelDirs: variant.dirs, dataDir: DATASET, split, tta: variant.tta });
  const op = fitOperatingPoint(await run("monitor"), { metric: "sensitivity", target: 0.99 });
  const heldOut = await run("held-out");
  const images = heldOut.probabilities.map((probabilities, i) => ({
    probabilities,
    label: heldOut.labels[i]!,
    fileNumber: heldOut.fileNumbers[i]!,
  }));
  const { image, specimen } = clinicalFigures(images, heldOut.evaluation.classes, heldOut.malignantClasses, {
    image: op.malignantThreshold,
    specimen: op.specimen.threshold,
  });
  const p = images.map((i) =>
    malignantProbability(i.probabilities, heldOut.evaluation.classes, heldOut.malignantClasses),
  );
  const oracle = thresholdForTarget(
    p,
    images.map((i) => isMalignantClass(heldOut.evaluation.classes[i.label]!, heldOut.malignantClasses)),
    "sensitivity",
    0.99,
  );
  console.log(
    `| ${name} | ${op.malignantThreshold.toFixed(3)} / ${op.specimen.threshold.toFixed(3)} | ${interval(image.sensitivity)} | ${interval(image.specificity)} | ${interval(image.auc, (v) => v.toFixed(4))} | ${pct(oracle.specificity)} | ${pct(specimen.sensitivity.value)} of ${specimen.malignant} / ${pct(specimen.specificity.value)} of ${specimen.benign} |`,
  );
}
