/**
 * ONNX Runtime's cpu provider settings on the model served by default: images/s and CPU time per
 * image of the worker's scoring path (TTA flips, temperature softmax, OOD features) and of Grad-CAM
 * at batch 16, for 1 and 2 intra-op threads with spin-waiting off and on. The figures behind
 * INFERENCE_THREADS' default (docs/benchmarks.md).
 *
 *   npx tsx bench/onnx-threads.ts [--images 64] [--model models/<name>]   → bench/results/onnx-threads.json
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { decodeToModelInput, defaultModelDir, loadServingModel, selectBackend } from "@leukoflow/ml";
import { ariaImages } from "./pipeline/dataset-images.js";
import { modelsDir } from "@leukoflow/shared";

const { values } = parseArgs({ options: { images: { type: "string", default: "64" }, model: { type: "string" } } });
const MODEL_DIR = values.model ? path.resolve(values.model) : defaultModelDir(modelsDir());
const BATCH = 16;

await selectBackend("auto", () => {});
const rows = [];
for (const threads of [1, 2]) {
  for (const spinWait of [false, true]) {
    const model = await loadServingModel(MODEL_DIR, { engine: "onnx", provider: "cpu", threads, spinWait });
    const images = await Promise.all(
      ariaImages(Number(values.images)).map((image) =>
        decodeToModelInput(image.bytes, { inputSize: model.meta.inputSize, stainNormalization: "none" }),
      ),
    );
    const measure = async (work: (batch: Uint8Array[]) => Promise<unknown>) => {
      await work(images.slice(0, BATCH));
      const [started, cpu] = [performance.now(), process.cpuUsage()];
      for (let start = 0; start < images.length; start += BATCH) await work(images.slice(start, start + BATCH));
      const { user, system } = process.cpuUsage(cpu);
      return {
        imagesPerSecond: images.length / ((performance.now() - started) / 1000),
        cpuMsPerImage: (user + system) / 1000 / images.length,
      };
    };
    const scoring = await measure((batch) => model.score(batch, "flips"));
    const gradCam = await measure((batch) =>
      model.gradCam(
        batch,
        batch.map(() => 0),
      ),
    );
    model.dispose();
    rows.push({ threads, spinWait, scoring, gradCam });
    console.error(JSON.stringify(rows.at(-1)));
  }
}
const result = {
  measuredAt: new Date().toISOString(),
  cores: os.availableParallelism(),
  loadAverage: os.loadavg(),
  model: path.basename(MODEL_DIR),
  batchSize: BATCH,
  rows,
};
mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
writeFileSync(path.join(import.meta.dirname, "results", "onnx-threads.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
