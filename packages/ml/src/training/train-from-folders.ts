import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildArchitecture } from "../architectures/registry.js";
import type { AugmentOptions } from "../data/augment.js";
import { splitByFileNumberBlocks, type BlockSplitOptions } from "../data/block-split.js";
import { listExtraTrainingImages } from "../data/extra-training-images.js";
import { listImageFolder, type ImageEntry } from "../data/list-image-folder.js";
import type { ModelInputSpec } from "../data/decode-to-model-input.js";
import { loadImages } from "../data/load-images.js";
import { trainClassifier, type LabelledImages } from "./train.js";
import { expectedCalibrationError, reliabilityBins } from "../evaluation/calibration.js";
import { DEFAULT_CLASS_BALANCE, type ClassBalance } from "./class-balance.js";
import { evaluateProbabilities } from "../evaluation/evaluation.js";
import { exportModel } from "./export-model.js";
import { applyInitialWeights, readInitialWeights } from "./initial-weights.js";
import { fitOodDetector } from "../ood/calibrate-model-ood.js";
import { writeOodStatistics } from "../ood/ood-calibration.js";
import { argmax, computeMetrics } from "../evaluation/metrics.js";
import { predictProbabilities } from "./predict-probabilities.js";
import type { ProgressSink } from "./progress.js";
import { REPORT_FILES, writeEvaluationCharts } from "../evaluation/report-files.js";
import { applyTemperature, fitTemperature } from "./temperature-scaling.js";
import { trainingReportMarkdown, type TrainingReport } from "./training-report.js";
import {
  ALL_SUBTYPES,
  isMalignantClass,
  type InputNormalization,
  type ModelMetadata,
  type StainNormalization,
} from "@leukoflow/contracts";

export const DEFAULT_NORMALIZATION: InputNormalization = {
  scale: 1 / 255,
  offset: 0,
  description: "RGB bytes (HWC) divided by 255",
};
/** The split of models/aria-cnn-v1: the last fifth of each class's file numbers is the test set. */
export const DEFAULT_TEST_SPLIT: BlockSplitOptions = { blocks: 5, heldOutBlock: 4, gap: 10 };
export const DEFAULT_MONITOR_SPLIT: BlockSplitOptions = { blocks: 8, heldOutBlock: 7, gap: 5 };

export interface TrainFromFoldersOptions {
  /** Folders of class subfolders (e.g. all-aria/original and all-aria/segmented); split together by file number. */
  dataDirs: string[];
  outDir: string;
  name: string;
  version?: string;
  task?: string;
  architecture: string;
  stageFilters?: readonly number[];
  /** Default: the subfolders of the first data folder. */
  classes?: string[];
  /** Default: the three ALL subtypes present, else every class but the first. */
  malignantClasses?: string[];
  inputSize: number;
  /** Colour normalization of every image before augmentation, recorded in the model for serving (default none). */
  stainNormalization?: StainNormalization;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  seed: number;
  augment: AugmentOptions | null;
  /** How training counters unequal class sizes (default "loss"). */
  classBalance?: ClassBalance;
  testSplit?: BlockSplitOptions;
  monitorSplit?: BlockSplitOptions;
  /** Folders of class subfolders whose images all go to the training side (`leukoflow datasets export`); never limited. */
  extraDirs?: string[];
  /** At most this many images per class on each side (quick runs and tests). */
  limitPerClass?: number;
  /** A trained model folder of the same architecture, classes and split whose weights start this run. */
  initFrom?: string;
  checkpointDir?: string;
  resume?: boolean;
  signal?: AbortSignal;
  progress?: ProgressSink;
}

export interface TrainFromFoldersResult {
  metadata: ModelMetadata;
  report: TrainingReport;
}

async function classFolders(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Evenly spaced picks, at most `limit` per class, so a limited set still spans each class's blocks. */
function limitPerClass(entries: ImageEntry[], limit: number | undefined): ImageEntry[] {
  if (limit === undefined) return entries;
  const byClass = new Map<string, ImageEntry[]>();
  for (const entry of entries) byClass.set(entry.className, [...(byClass.get(entry.className) ?? []), entry]);
  return [...byClass.values()].flatMap((list) =>
    list.filter((_, i) => i % Math.max(1, Math.ceil(list.length / limit)) === 0),
  );
}

async function labelled(entries: ImageEntry[], input: ModelInputSpec): Promise<LabelledImages> {
  return {
    images: await loadImages(
      entries.map((e) => e.path),
      input,
    ),
    labels: entries.map((e) => e.label),
  };
}

function describeAugmentation(a: AugmentOptions | null): string {
  if (a === null) return "none";
  return [
    "random flip/quarter turn (8 symmetries)",
    a.rotation > 0 && `rotation ±${a.rotation}°`,
    `zoom ${a.zoom.join("–")}`,
    a.stain > 0 && `optical-density gain ±${a.stain}`,
    a.hed > 0 && `HED scale ±${a.hed}, shift ±${a.hed / 5}`,
    a.whiteBalance > 0 && `white balance ±${a.whiteBalance}`,
    a.gamma > 0 && `gamma ±${a.gamma}`,
    `brightness ±${a.brightness}, contrast ±${a.contrast}, saturation ±${a.saturation}`,
    a.blur > 0 && `Gaussian blur p = ${a.blur}, σ ≤ ${a.blurSigma} px`,
    a.resolution < 1 && `resampled through ${a.resolution}–1× size`,
    a.noise > 0 && `noise σ ≤ ${a.noise}`,
    a.jpeg > 0 && `JPEG recompression p = ${a.jpeg}, quality 30–90`,
  ]
    .filter(Boolean)
    .join(", ");
}

/**
 * `leukoflow train`: block split by file number, training with checkpoints, temperature scaling
 * on the monitor blocks, evaluation on the held-out test blocks, and the artifact (tfjs model +
 * leukoflow-model.json) with report.json, report.md and PNG charts in `outDir`.
 */
export async function trainFromFolders(options: TrainFromFoldersOptions): Promise<TrainFromFoldersResult> {
  const classes = options.classes ?? (await classFolders(options.dataDirs[0]!));
  const malignantClasses =
    options.malignantClasses ??
    (classes.some((c) => isMalignantClass(c, ALL_SUBTYPES))
      ? classes.filter((c) => isMalignantClass(c, ALL_SUBTYPES))
      : classes.slice(1));
  const { inputSize } = options;
  const classBalance = options.classBalance ?? DEFAULT_CLASS_BALANCE;
  const stainNormalization = options.stainNormalization ?? "none";
  const normalization = DEFAULT_NORMALIZATION;
  const entries = (await Promise.all(options.dataDirs.map((dir) => listImageFolder(dir, classes)))).flat();
  const testSplitOptions = options.testSplit ?? DEFAULT_TEST_SPLIT;
  const monitorSplitOptions = options.monitorSplit ?? DEFAULT_MONITOR_SPLIT;
  const testSplit = splitByFileNumberBlocks(entries, testSplitOptions);
  const monitorSplit = splitByFileNumberBlocks(testSplit.train, monitorSplitOptions);
  const extra = await listExtraTrainingImages(options.extraDirs ?? [], classes, entries);
  const input = { inputSize, stainNormalization };
  const load = (list: ImageEntry[]): Promise<LabelledImages> =>
    labelled(limitPerClass(list, options.limitPerClass), input);
  const [train, monitor, test] = await Promise.all([
    labelled([...limitPerClass(monitorSplit.train, options.limitPerClass), ...extra.added], input),
    load(monitorSplit.heldOut),
    load(testSplit.heldOut),
  ]);
  options.progress?.line(
    `images: train ${train.images.length} (${extra.added.length} extra), monitor ${monitor.images.length}, test ${test.images.length}`,
  );

  const splitOptions = { test: testSplitOptions, monitor: monitorSplitOptions };
  const initial =
    options.initFrom === undefined
      ? undefined
      : await readInitialWeights(options.initFrom, {
          architecture: options.architecture,
          classes,
          splitOptions,
          heldOutRanges: testSplit.heldOutRanges,
        });
  const model = buildArchitecture(options.architecture, {
    inputSize,
    numClasses: classes.length,
    seed: options.seed,
    stageFilters: options.stageFilters,
  });
  if (initial) {
    applyInitialWeights(model, initial);
    options.progress?.line(`initial weights: ${initial.source}`);
  }
  const result = await trainClassifier({
    model,
    inputSize,
    classes,
    malignantClasses,
    normalization,
    train,
    monitor,
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    patience: options.patience,
    seed: options.seed,
    augment: options.augment,
    classBalance,
    checkpointDir: options.checkpointDir,
    resume: options.resume,
    signal: options.signal,
    progress: options.progress,
  });

  const monitorRaw = await predictProbabilities(model, monitor.images, inputSize, normalization);
  const temperature = fitTemperature(monitorRaw, monitor.labels);
  const testRaw = await predictProbabilities(model, test.images, inputSize, normalization);
  const scaled = (rows: Float32Array[]): Float32Array[] => rows.map((row) => applyTemperature(row, temperature));
  const testResult = evaluateProbabilities(scaled(testRaw), test.labels, classes, malignantClasses);
  const monitorResult = evaluateProbabilities(scaled(monitorRaw), monitor.labels, classes, malignantClasses);

  const datasets = options.dataDirs.map((dir) => path.relative(path.resolve(dir, "../.."), path.resolve(dir)));
  const trainingSeconds = Math.round(result.trainingSeconds);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const report: TrainingReport = {
    name: options.name,
    architecture: options.architecture,
    parameters: model.countParams(),
    inputSize,
    stainNormalization,
    backend: tf.getBackend(),
    datasets,
    split: {
      test: testSplit.description,
      monitor: `of the remaining images, ${monitorSplit.description}`,
      trainImages: train.images.length,
      ...(options.extraDirs?.length
        ? {
            extra: {
              dirs: options.extraDirs.map((dir) => path.resolve(dir)),
              images: extra.added.length,
              alreadyInData: extra.alreadyInData,
            },
          }
        : {}),
      monitorImages: monitor.images.length,
      testImages: test.images.length,
    },
    augmentation: describeAugmentation(options.augment),
    classBalance,
    initialisedFrom: initial?.source,
    epochs: { planned: options.epochs, run: result.history.length, best: result.bestEpoch },
    history: result.history,
    temperature,
    test: testResult.evaluation,
    testEceBeforeScaling: expectedCalibrationError(reliabilityBins(testRaw, test.labels)),
    monitor: monitorResult.evaluation,
    trainingSeconds,
    peakRssMb,
  };
  // Fitted on the same un-augmented training and monitor images, so every trained model ships able to flag unfamiliar images.
  const { calibration: ood, gaussians } = await fitOodDetector(
    model,
    { classes, inputSize, normalization },
    { train, monitor: monitor.images },
  );
  options.progress?.line(
    `OOD: Mahalanobis on ${ood.layers.map((l) => l.name).join(", ")}; threshold ${ood.threshold.toFixed(3)} (quantile ${ood.quantile} of the monitor blocks)`,
  );
  const metadata: ModelMetadata = {
    name: options.name,
    version: options.version ?? "1.0.0",
    architecture: options.architecture,
    task: options.task ?? (classes.length === 4 ? "all-subtype-4class" : `${classes.length}-class`),
    classes,
    malignantClasses,
    inputSize,
    stainNormalization,
    normalization,
    temperature,
    ood,
    validation: {
      dataset: datasets.join(" + "),
      split: testSplit.description,
      images: test.images.length,
      heldOutRanges: testSplit.heldOutRanges,
    },
    splitOptions,
    initialisedFrom: initial?.source,
    metrics: computeMetrics(test.labels, testRaw.map(argmax), classes, malignantClasses),
    evaluation: testResult.evaluation,
    trainingSeconds,
    peakRssMb,
    parameters: model.countParams(),
    backend: tf.getBackend(),
  };
  await exportModel(model, options.outDir, metadata);
  await writeOodStatistics(options.outDir, gaussians);
  await writeFile(path.join(options.outDir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(options.outDir, REPORT_FILES.markdown), trainingReportMarkdown(report));
  await writeEvaluationCharts(options.outDir, options.name, testResult.evaluation, testResult.curves);
  model.dispose();
  return { metadata, report };
}
