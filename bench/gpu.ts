/**
 * ONNX Runtime's execution providers on a GPU host: bare-model images/s (one session.run of the
 * logits) at batch 1…256 for the cpu, cuda and tensorrt providers, and the worker's scoring path
 * (loadServingModel: normalization, temperature softmax, OOD features; TTA none) at a few batch
 * sizes. Input pixels are deterministic noise: throughput does not depend on content. Run it
 * through bench/gpu.sh, which checks the host and names what it needs.
 *
 *   node --import tsx bench/gpu.ts [--model models/<name>] [--seconds 1.5]
 *     → $OUT/gpu.json (or bench/results/gpu.json); last line of output: the result as JSON
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Tensor } from "onnxruntime-node";
import { createOnnxSession, defaultModelDir, loadServingModel, readModelMetadata, selectBackend } from "@leukoflow/ml";
import { ONNX_FILE } from "@leukoflow/contracts";
import { modelsDir } from "@leukoflow/shared";

const { values } = parseArgs({ options: { model: { type: "string" }, seconds: { type: "string", default: "1.5" } } });
const MODEL_DIR = values.model ? path.resolve(values.model) : defaultModelDir(modelsDir());
const SECONDS = Number(values.seconds);
// Largest first: TensorRT builds its engine for the profile once (gpu.sh sets the profile's shapes).
const BATCH_SIZES = [256, 128, 64, 32, 16, 8, 4, 2, 1];
const SCORING_BATCH_SIZES = [256, 64, 16];
const PROVIDERS = ["cpu", "cuda", "tensorrt"] as const;
const outFile = path.join(process.env.OUT ?? path.join(import.meta.dirname, "results"), "gpu.json");

const meta = await readModelMetadata(MODEL_DIR);
const bytes = await readFile(path.join(MODEL_DIR, ONNX_FILE));
const size = meta.inputSize;
let state = 1;
const noise = (count: number): Uint8Array =>
  Uint8Array.from({ length: count }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) >>> 23);
const images = Array.from({ length: Math.max(...BATCH_SIZES) }, () => noise(size * size * 3));

/** Runs `work` for at least SECONDS after two warm-up runs; images per second. */
async function rate(batchSize: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  await work();
  const started = performance.now();
  let runs = 0;
  while (performance.now() - started < SECONDS * 1000) {
    await work();
    runs += 1;
  }
  return (runs * batchSize) / ((performance.now() - started) / 1000);
}

// TensorRT reads its options from the environment here: one engine for every batch size (a 1…256 profile), cached between runs.
const shape = (batch: number): string => `${meta.onnx!.input}:${batch}x${size}x${size}x3`;
process.env.ORT_TENSORRT_PROFILE_MIN_SHAPES ??= shape(1);
process.env.ORT_TENSORRT_PROFILE_OPT_SHAPES ??= shape(64);
process.env.ORT_TENSORRT_PROFILE_MAX_SHAPES ??= shape(256);
process.env.ORT_TENSORRT_ENGINE_CACHE_ENABLE ??= "1";
process.env.ORT_TENSORRT_CACHE_PATH ??= path.join(os.tmpdir(), "leukoflow-trt-cache");

const result: Record<string, unknown> = {
  measuredAt: new Date().toISOString(),
  host: {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    gpu: process.env.GPU_NAME || null,
    node: process.version,
  },
  model: `${meta.name}@${meta.version}`,
  inputSize: size,
  providers: {},
};
const save = (): void => {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
};

await selectBackend("auto", () => {});
for (const provider of PROVIDERS) {
  const notes: string[] = [];
  const log = (line: string): void => void notes.push(line);
  const threads = os.availableParallelism();
  const { session, provider: running } = await createOnnxSession(bytes, meta.name, { provider, threads, log });
  if (running !== provider) {
    (result.providers as Record<string, unknown>)[provider] = { available: false, notes };
    await session.release();
    save();
    continue;
  }
  const bare: { batchSize: number; imagesPerSecond: number }[] = [];
  for (const batchSize of BATCH_SIZES) {
    const pixels = new Float32Array(batchSize * size * size * 3);
    images.slice(0, batchSize).forEach((image, i) =>
      pixels.set(
        Float32Array.from(image, (v) => v / 255),
        i * image.length,
      ),
    );
    const input = new Tensor("float32", pixels, [batchSize, size, size, 3]);
    bare.push({
      batchSize,
      imagesPerSecond: await rate(batchSize, () => session.run({ [meta.onnx!.input]: input }, [meta.onnx!.logits!])),
    });
  }
  await session.release();
  const classifier = await loadServingModel(MODEL_DIR, { engine: "onnx", provider, threads, log });
  const scoring: { batchSize: number; imagesPerSecond: number }[] = [];
  for (const batchSize of SCORING_BATCH_SIZES)
    scoring.push({
      batchSize,
      imagesPerSecond: await rate(batchSize, () => classifier.score(images.slice(0, batchSize), "none")),
    });
  classifier.dispose();
  const best = bare.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
  (result.providers as Record<string, unknown>)[provider] = { available: true, threads, best, bare, scoring, notes };
  console.error(`${provider}: best ${best.imagesPerSecond.toFixed(0)} images/s at batch ${best.batchSize}`);
  save();
}
console.log(JSON.stringify(result));
