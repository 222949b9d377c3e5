import { decodeToModelInput, loadEnsemble, selectBackend, type TtaMode } from "@leukoflow/ml";
import type { NamedImage } from "./dataset-images.js";

export interface BareModelThroughput {
  backend: string;
  /** The batch size the model runs fastest at, and its images/s there. */
  batchSize: number;
  imagesPerSecond: number;
  byBatchSize: { batchSize: number; imagesPerSecond: number }[];
}

/**
 * The model alone, in this process: images/s of what the inference worker runs per batch (scores
 * with its TTA, then Grad-CAM of each winning class) on images decoded beforehand, at each of
 * `batchSizes`.
 */
export async function measureBareModel(modelDir: string, images: NamedImage[], batchSizes: number[], tta: TtaMode): Promise<BareModelThroughput> {
  const backend = await selectBackend("auto", () => {});
  const model = await loadEnsemble([modelDir]);
  try {
    const pixels = await Promise.all(images.map((image) => decodeToModelInput(image.bytes, model.input)));
    const runBatch = async (batch: Uint8Array[]) => {
      const scores = await model.score(batch, tta);
      await model.gradCam(batch, scores.map((score) => score.probabilities.indexOf(Math.max(...score.probabilities))));
    };
    const byBatchSize = [];
    for (const batchSize of batchSizes) {
      await runBatch(pixels.slice(0, batchSize));
      const started = performance.now();
      for (let start = 0; start < pixels.length; start += batchSize) await runBatch(pixels.slice(start, start + batchSize));
      byBatchSize.push({ batchSize, imagesPerSecond: pixels.length / ((performance.now() - started) / 1000) });
    }
    const fastest = byBatchSize.reduce((best, row) => (row.imagesPerSecond > best.imagesPerSecond ? row : best));
    return { backend, ...fastest, byBatchSize };
  } finally {
    model.dispose();
  }
}
