import { decodeToModelInput, loadEnsemble, selectBackend, type InferenceEngine, type TtaMode } from "@leukoflow/ml";
import type { NamedImage } from "./dataset-images.js";

export interface BatchThroughput {
  batchSize: number;
  imagesPerSecond: number;
  /** Process CPU time (every thread) per image. */
  cpuMsPerImage: number;
}

export interface BareModelThroughput extends BatchThroughput {
  backend: string;
  /** engine/device of the model's members, as the worker reports them. */
  engines: string[];
  /** The fastest batch size's row is the one above. */
  byBatchSize: BatchThroughput[];
}

/** What one forward pass of the worker does per batch: scores with its TTA, then (`withGradCam`) Grad-CAM of each winning class. */
export type BareModelWork = "score" | "score-and-grad-cam";

/**
 * The model alone, in this process, on `engine`: images/s of `work` on images decoded beforehand,
 * at each of `batchSizes`.
 */
export async function measureBareModel(
  modelDir: string,
  images: NamedImage[],
  batchSizes: number[],
  tta: TtaMode,
  options: { engine?: InferenceEngine; work?: BareModelWork } = {},
): Promise<BareModelThroughput> {
  const backend = await selectBackend("auto", () => {});
  const model = await loadEnsemble([modelDir], { engine: options.engine ?? "onnx" });
  try {
    const pixels = await Promise.all(images.map((image) => decodeToModelInput(image.bytes, model.input)));
    const runBatch = async (batch: Uint8Array[]) => {
      const scores = await model.score(batch, tta);
      if (options.work !== "score")
        await model.gradCam(
          batch,
          scores.map((score) => score.probabilities.indexOf(Math.max(...score.probabilities))),
        );
    };
    const byBatchSize: BatchThroughput[] = [];
    for (const batchSize of batchSizes) {
      await runBatch(pixels.slice(0, batchSize));
      const [started, cpu] = [performance.now(), process.cpuUsage()];
      for (let start = 0; start < pixels.length; start += batchSize)
        await runBatch(pixels.slice(start, start + batchSize));
      const { user, system } = process.cpuUsage(cpu);
      byBatchSize.push({
        batchSize,
        imagesPerSecond: pixels.length / ((performance.now() - started) / 1000),
        cpuMsPerImage: (user + system) / 1000 / pixels.length,
      });
    }
    const fastest = byBatchSize.reduce((best, row) => (row.imagesPerSecond > best.imagesPerSecond ? row : best));
    const engines = [
      ...new Set(model.members.map(({ classifier }) => `${classifier.engine.name}/${classifier.engine.device}`)),
    ];
    return { backend, engines, ...fastest, byBatchSize };
  } finally {
    model.dispose();
  }
}
