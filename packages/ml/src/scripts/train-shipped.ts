/**
 * Trains and ships models/aria-cnn-v1: the custom CNN on all-aria/original at 64 px, test = the last
 * 20 % of every class's file numbers (never seen during training or model selection).
 *   npx tsx packages/ml/src/scripts/train-shipped.ts [--epochs N] [--limit N] [--out DIR]
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { buildLeukoCnn, LEUKO_CNN_NAME } from "../architectures/leuko-cnn.js";
import { selectBackend } from "../backend.js";
import { DEFAULT_AUGMENT } from "../data/augment.js";
import { splitByFileNumberBlocks } from "../data/block-split.js";
import { listImageFolder, type ImageEntry } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import type { ClassificationMetrics, ModelMetadata } from "../model-metadata.js";
import { trainClassifier, type LabelledImages } from "../train.js";
import { exportModel } from "../training/export-model.js";
import { argmax, computeMetrics } from "../training/metrics.js";
import { predictProbabilities } from "../training/predict-probabilities.js";
import { writeShippedReport } from "./shipped-report.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
const DATASET = path.resolve(REPO_ROOT, "../shared/datasets/all-aria/original");
const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const MALIGNANT = ["early_pre_b", "pre_b", "pro_b"];
const INPUT_SIZE = 64;
const NORMALIZATION = { scale: 1 / 255, offset: 0, description: "RGB bytes (HWC) divided by 255" };
const TEST_SPLIT = { blocks: 5, heldOutBlock: 4, gap: 10 };
const MONITOR_SPLIT = { blocks: 8, heldOutBlock: 7, gap: 5 };

const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "10" },
    limit: { type: "string" },
    out: { type: "string", default: path.join(REPO_ROOT, "models/aria-cnn-v1") },
  },
});

async function labelled(entries: ImageEntry[]): Promise<LabelledImages> {
  return { images: await loadImages(entries.map((e) => e.path), INPUT_SIZE), labels: entries.map((e) => e.label) };
}

async function testMetrics(model: tf.LayersModel, set: LabelledImages): Promise<ClassificationMetrics> {
  const probabilities = await predictProbabilities(model, set.images, INPUT_SIZE, NORMALIZATION);
  return computeMetrics(set.labels, probabilities.map(argmax), CLASSES, MALIGNANT);
}

const limit = args.limit === undefined ? Infinity : Number(args.limit);
const outDir = path.resolve(args.out);
const checkpointDir = path.join(REPO_ROOT, ".leukoflow/checkpoints", path.basename(outDir));
await selectBackend("auto");
const entries = await listImageFolder(DATASET, CLASSES);
const testSplit = splitByFileNumberBlocks(entries, TEST_SPLIT);
const monitorSplit = splitByFileNumberBlocks(testSplit.train, MONITOR_SPLIT);
const take = (list: ImageEntry[]): ImageEntry[] => list.filter((_, i) => i % Math.max(1, Math.ceil(list.length / limit)) === 0);
const [train, monitor, test] = await Promise.all([labelled(take(monitorSplit.train)), labelled(take(monitorSplit.heldOut)), labelled(take(testSplit.heldOut))]);
process.stderr.write(`images: train ${train.images.length}, monitor ${monitor.images.length}, test ${test.images.length}\n`);

const model = buildLeukoCnn({ inputSize: INPUT_SIZE, numClasses: CLASSES.length, seed: 42 });
const result = await trainClassifier({
  model, inputSize: INPUT_SIZE, classes: CLASSES, malignantClasses: MALIGNANT, normalization: NORMALIZATION,
  train, monitor, epochs: Number(args.epochs), batchSize: 32, learningRate: 2e-3, warmupEpochs: 1, patience: 4,
  seed: 7, augment: DEFAULT_AUGMENT, recalibrationImages: 1024, checkpointDir,
});
const metrics = await testMetrics(model, test);

const metadata: ModelMetadata = {
  name: "aria-cnn-v1",
  version: "1.0.0",
  architecture: LEUKO_CNN_NAME,
  task: "all-subtype-4class",
  classes: CLASSES,
  malignantClasses: MALIGNANT,
  inputSize: INPUT_SIZE,
  normalization: NORMALIZATION,
  validation: { dataset: "all-aria/original", split: testSplit.description, images: test.images.length, heldOutRanges: testSplit.heldOutRanges },
  metrics,
  trainingSeconds: Math.round(result.trainingSeconds),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  parameters: model.countParams(),
  backend: tf.getBackend(),
  monitorSplit: `monitor (early stopping, best epoch): of the remaining images, ${monitorSplit.description}`,
  trainImages: train.images.length,
  bestEpoch: result.bestEpoch,
  history: result.history,
  monitorMetrics: result.monitorMetrics,
  batchNormRecalibration: "moving mean/variance replaced by the exact statistics of 1024 un-augmented training images after training (256 before each monitor evaluation)",
};
await mkdir(outDir, { recursive: true });
await exportModel(model, outDir, metadata);
await writeFile(path.join(outDir, "report.md"), writeShippedReport(metadata, result));
process.stderr.write(`test accuracy ${metrics.accuracy.toFixed(4)} balanced ${metrics.balancedAccuracy.toFixed(4)}; saved ${outDir}\n`);
