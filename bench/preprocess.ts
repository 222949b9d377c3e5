/**
 * Throughput and memory of the preprocess worker's CPU work on the hot path (decode, orient, model
 * input as raw pixels, `makeModelInput` as the worker calls it), against bare sharp
 * decode+resize of the same real files, both with one job in flight per core. Files are read into
 * memory first, so neither side measures the disk. RSS is sampled as images complete to show it
 * stays flat; the event loop's worst delay shows how long the JavaScript around sharp holds it.
 *
 *   npx tsx bench/preprocess.ts [--images 3000] [--stain none|reinhard]   → bench/results/preprocess.json
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { makeModelInput, type PreprocessingRecipe } from "@leukoflow/preprocess-worker";
import { bareSharpDecodeResize } from "./pipeline/bare-sharp.js";
import { runInParallel } from "./pipeline/run-in-parallel.js";
import { ariaOriginalDir } from "@leukoflow/shared";

const { values } = parseArgs({
  options: { images: { type: "string", default: "3000" }, stain: { type: "string", default: "none" } },
});
const IMAGES = Number(values.images);
const CORES = os.availableParallelism();
const RECIPE: PreprocessingRecipe = {
  inputSize: 224,
  fit: "crop",
  stain: values.stain === "reinhard" ? "reinhard" : "none",
};
const ORIGINALS = ariaOriginalDir();

const files = readdirSync(ORIGINALS)
  .sort()
  .flatMap((label) =>
    readdirSync(path.join(ORIGINALS, label))
      .sort()
      .map((file) => readFileSync(path.join(ORIGINALS, label, file))),
  );
const inputs = Array.from({ length: IMAGES }, (_, i) => files[i % files.length]!);

const warmup = inputs.slice(0, 50);
const { seconds: bareSeconds } = await bareSharpDecodeResize(inputs, CORES, RECIPE.inputSize);

const modelInput = (bytes: Uint8Array) => makeModelInput(bytes, RECIPE, 100_000_000);
for (const bytes of warmup) await modelInput(bytes);
const rssSamples: { images: number; rssMiB: number }[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const sampleEvery = Math.max(1, Math.floor(IMAGES / 30));
const pipelineSeconds = await runInParallel(inputs, CORES, modelInput, (done) => {
  if (done % sampleEvery === 0)
    rssSamples.push({ images: done, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
});
loopDelay.disable();

const perCore = (seconds: number) => Math.round((IMAGES / seconds / CORES) * 10) / 10;
const quarter = Math.max(1, Math.floor(rssSamples.length / 4));
const meanRss = (samples: typeof rssSamples) =>
  Math.round(samples.reduce((sum, s) => sum + s.rssMiB, 0) / samples.length);
const result = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus()[0]?.model,
    cores: CORES,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 10) / 10),
    node: process.version,
    sharp: sharp.versions.sharp,
    libvips: sharp.versions.vips,
  },
  images: IMAGES,
  source: "all-aria/original (224×224 JPEG), cycled",
  recipe: RECIPE,
  bareSharpDecodeResize: { seconds: round(bareSeconds), imagesPerSecondPerCore: perCore(bareSeconds) },
  preprocessWorker: { seconds: round(pipelineSeconds), imagesPerSecondPerCore: perCore(pipelineSeconds) },
  pipelineCostVersusBare: round(pipelineSeconds / bareSeconds),
  eventLoopDelayMs: { max: round(loopDelay.max / 1e6), p99: round(loopDelay.percentile(99) / 1e6) },
  rss: {
    firstQuarterMeanMiB: meanRss(rssSamples.slice(0, quarter)),
    lastQuarterMeanMiB: meanRss(rssSamples.slice(-quarter)),
    maxMiB: Math.max(...rssSamples.map((s) => s.rssMiB)),
    samples: rssSamples,
  },
};
console.log(JSON.stringify({ ...result, rss: { ...result.rss, samples: undefined } }, null, 2));
mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
writeFileSync(
  path.join(
    import.meta.dirname,
    "results",
    values.stain === "reinhard" ? "preprocess-reinhard.json" : "preprocess.json",
  ),
  `${JSON.stringify(result, null, 2)}\n`,
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
