// Does Reinhard stain normalization at preprocessing alone (the model trained without it) keep the
// model accurate when a lab's stain or camera shifts the colours? Runs the preprocess worker's own
// preprocessing on the model's held-out images, clean and colour-shifted, with and without it. (The
// worker applies it only for a model trained with it: docs/preprocessing.md.)
//   npx tsx bench/stain-normalization.ts [--model models/aria-cnn-v1] [--limit N]
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { heldOutImagePaths, loadClassifier, readModelMetadata, selectBackend } from "@leukoflow/ml";
import { makeModelInput, type PreprocessingRecipe } from "@leukoflow/preprocess-worker";
import { decodeModelInputPixels, ariaOriginalDir } from "@leukoflow/shared";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const DATASET = ariaOriginalDir();
const MAX_INPUT_PIXELS = 100_000_000;

/** Colour shifts a smear from another lab could show, applied to 8-bit RGB in place. */
const SHIFTS: Record<string, (rgb: Uint8Array) => void> = {
  none: () => undefined,
  // Stronger haematoxylin, weaker eosin: optical density scaled per channel (Beer-Lambert).
  "stain-shift": (rgb) => scaleOpticalDensity(rgb, [1.3, 0.95, 0.75]),
  // A warm white balance, as from a camera or lamp of another lab.
  "colour-cast": (rgb) => rgb.forEach((value, i) => (rgb[i] = clamp(value * [1.12, 0.98, 0.82][i % 3]!))),
};

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function scaleOpticalDensity(rgb: Uint8Array, factors: number[]): void {
  for (let i = 0; i < rgb.length; i += 1) {
    const density = -Math.log((rgb[i]! + 1) / 256);
    rgb[i] = clamp(256 * Math.exp(-density * factors[i % 3]!) - 1);
  }
}

async function shifted(file: string, shift: (rgb: Uint8Array) => void): Promise<Uint8Array> {
  const { data, info } = await sharp(await readFile(file))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  shift(data);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

const { values } = parseArgs({
  options: { model: { type: "string", default: "models/aria-cnn-v1" }, limit: { type: "string" } },
});
const modelDir = path.resolve(REPO_ROOT, values.model);
const backend = await selectBackend("auto", () => undefined);
const meta = await readModelMetadata(modelDir);
const classifier = await loadClassifier(modelDir);
let files = await heldOutImagePaths(DATASET, meta);
if (values.limit) files = files.filter((_, i) => i % Math.ceil(files.length / Number(values.limit)) === 0);
const truth = files.map((file) => meta.classes.indexOf(path.basename(path.dirname(file))));

const results: Record<string, Record<string, number>> = {};
for (const [shiftName, shift] of Object.entries(SHIFTS)) {
  results[shiftName] = {};
  for (const stain of ["none", "reinhard"] as const) {
    const recipe: PreprocessingRecipe = { inputSize: meta.inputSize, fit: "crop", stain };
    let correct = 0;
    for (const [i, file] of files.entries()) {
      const upload = await makeModelInput(await shifted(file, shift), recipe, MAX_INPUT_PIXELS);
      const [probabilities] = await classifier.predict([decodeModelInputPixels(upload.pixels).data]);
      const predicted = probabilities!.indexOf(Math.max(...probabilities!));
      if (predicted === truth[i]) correct += 1;
    }
    results[shiftName][stain] = correct / files.length;
    console.error(
      `${shiftName.padEnd(12)} stain=${stain.padEnd(8)} accuracy ${(results[shiftName][stain] * 100).toFixed(1)} %`,
    );
  }
}
classifier.dispose();

const report = {
  model: `${meta.name}@${meta.version}`,
  backend,
  images: files.length,
  accuracy: results,
  measuredAt: new Date().toISOString(),
};
await mkdir(path.join(REPO_ROOT, "bench", "results"), { recursive: true });
await writeFile(
  path.join(REPO_ROOT, "bench", "results", "stain-normalization.json"),
  `${JSON.stringify(report, null, 2)}\n`,
);
console.log(JSON.stringify(report));
