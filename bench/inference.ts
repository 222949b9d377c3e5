/**
 * The inference worker's model path on the shipped model: batching gain, images/s of
 * score + Grad-CAM at batch sizes 1…64 (TTA none and flips), as the worker's batcher runs them.
 * (OOD flag rates are measured by `leukoflow evaluate --ood`, see docs/ood.md.)
 *
 *   npx tsx bench/inference.ts [--images 256] [--model models/<name>]   → bench/results/inference.json
 *
 * The model defaults to the one served by default (models/default.json).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import {
  decodeToModelInput,
  defaultModelDir,
  heldOutImagePaths,
  isEnsembleDir,
  loadEnsemble,
  readEnsemble,
  selectBackend,
  type TtaMode,
} from "@leukoflow/ml";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";

const { values } = parseArgs({ options: { images: { type: "string", default: "256" }, model: { type: "string" } } });
const MODEL_DIR = values.model ? path.resolve(values.model) : defaultModelDir(modelsDir());

const backend = await selectBackend("auto", () => {});
const model = await loadEnsemble([MODEL_DIR]);
const identity = isEnsembleDir(MODEL_DIR) ? await readEnsemble(MODEL_DIR) : model.members[0]!.classifier.meta;
// An ensemble's members are validated on the same blocks.
const heldOut = await heldOutImagePaths(ariaOriginalDir(), model.members[0]!.classifier.meta);

const pool = await Promise.all(
  heldOut.slice(0, 64).map(async (file) => decodeToModelInput(await readFile(file), model.input)),
);
const images = Array.from({ length: Number(values.images) }, (_, i) => pool[i % pool.length]!);
const throughput: { tta: TtaMode; batchSize: number; imagesPerSecond: number }[] = [];
for (const tta of ["none", "flips"] as const) {
  for (const batchSize of [1, 4, 16, 64]) {
    await model.score(images.slice(0, batchSize), tta);
    const started = performance.now();
    for (let start = 0; start < images.length; start += batchSize) {
      const batch = images.slice(start, start + batchSize);
      const scores = await model.score(batch, tta);
      await model.gradCam(
        batch,
        scores.map((score) => score.probabilities.indexOf(Math.max(...score.probabilities))),
      );
    }
    throughput.push({ tta, batchSize, imagesPerSecond: images.length / ((performance.now() - started) / 1000) });
    console.log(throughput.at(-1));
  }
}

const results = {
  model: `${identity.name}@${identity.version}`,
  backend,
  tfjs: tf.version.tfjs,
  throughput,
  batchingGain: Object.fromEntries(
    (["none", "flips"] as const).map((tta) => {
      const rows = throughput.filter((row) => row.tta === tta);
      return [tta, rows.at(-1)!.imagesPerSecond / rows[0]!.imagesPerSecond];
    }),
  ),
};
mkdirSync(path.resolve(import.meta.dirname, "results"), { recursive: true });
writeFileSync(path.resolve(import.meta.dirname, "results/inference.json"), `${JSON.stringify(results, null, 2)}\n`);
model.dispose();
