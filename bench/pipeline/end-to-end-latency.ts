import type { NamedImage } from "./dataset-images.js";
import { waitForCount } from "./growth-rate.js";
import type { PipelineRun } from "./pipeline-run.js";

export interface EndToEndLatency {
  uploadsPerSecond: number;
  images: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Upload to Prediction row, per image, through the running (warm) pipeline: one image uploaded
 * every 1/`uploadsPerSecond` s; each image's latency is its Prediction's created_at minus its
 * Image's, both stamped by Postgres, so one clock.
 */
export async function measureEndToEndLatency(
  run: PipelineRun,
  images: NamedImage[],
  uploadsPerSecond: number,
): Promise<EndToEndLatency> {
  const specimenId = await run.session.createSpecimen();
  const started = performance.now();
  for (const [i, image] of images.entries()) {
    const due = started + (i * 1000) / uploadsPerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    await run.session.upload(specimenId, [image]);
  }
  await waitForCount(run.counts.classified(specimenId), await run.counts.images(specimenId), 300_000);

  const rows = await run.services.prisma.$queryRaw<{ ms: number }[]>`
    SELECT EXTRACT(EPOCH FROM (p.created_at - i.created_at)) * 1000 AS ms
    FROM prediction p JOIN image i ON i.id = p.image_id WHERE i.specimen_id = ${specimenId}::uuid ORDER BY ms`;
  const latencies = rows.map((row) => Number(row.ms));
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))]!;
  return { uploadsPerSecond, images: latencies.length, p50Ms: at(0.5), p95Ms: at(0.95) };
}
