import type { NamedImage } from "./dataset-images.js";
import { growthRateBetween, waitForCount } from "./growth-rate.js";
import type { PipelineRun } from "./pipeline-run.js";

/**
 * Classified images per second through the running pipeline (upload, preprocess, inference,
 * Postgres): a specimen of `images` uploaded at once, the rate taken while its predictions go from
 * 20 % to 90 % of them, so neither the first uploads nor the tail are in it.
 */
export async function measureEndToEndThroughput(run: PipelineRun, images: NamedImage[]): Promise<number> {
  const specimenId = await run.session.uploadAll(images);
  const total = await run.counts.images(specimenId);
  const count = run.counts.classified(specimenId);
  const rate = await growthRateBetween(count, Math.round(total * 0.2), Math.round(total * 0.9), 600_000);
  await waitForCount(count, total, 600_000);
  return rate;
}
