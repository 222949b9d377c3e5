import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StainNormalization } from "@leukoflow/imaging";
import type { HeldOutRange } from "./data/block-split.js";
import type { ModelInputSpec } from "./data/decode-to-model-input.js";

export const METADATA_FILE = "leukoflow-model.json";

/** Model input = RGB byte · scale + offset, per channel, HWC. */
export interface InputNormalization {
  scale: number;
  offset: number;
  description: string;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  images: number;
  accuracy: number;
  balancedAccuracy: number;
  perClass: Record<string, ClassMetrics>;
  /** Malignant = any class in `malignantClasses`; a screen's positive. */
  malignant: { sensitivity: number; specificity: number };
  /** confusion[true][predicted], rows and columns in `classes` order. */
  confusion: number[][];
}

export interface ModelMetadata {
  name: string;
  version: string;
  architecture: string;
  task: string;
  classes: string[];
  malignantClasses: string[];
  inputSize: number;
  /** The colour normalization its images were trained with; absent in models before it existed, meaning none. */
  stainNormalization?: StainNormalization;
  normalization: InputNormalization;
  /** The images the metrics were measured on; heldOutRanges lets anyone re-select them. */
  validation: { dataset: string; split: string; images: number; heldOutRanges: HeldOutRange[] };
  metrics: ClassificationMetrics;
  trainingSeconds: number;
  peakRssMb: number;
  [extra: string]: unknown;
}

/** How images are decoded for this model, wherever they come from (training, evaluation, serving). */
export function modelInputSpec(meta: Pick<ModelMetadata, "inputSize" | "stainNormalization">): ModelInputSpec {
  return { inputSize: meta.inputSize, stainNormalization: meta.stainNormalization ?? "none" };
}

export async function readModelMetadata(modelDir: string): Promise<ModelMetadata> {
  return JSON.parse(await readFile(path.join(modelDir, METADATA_FILE), "utf8")) as ModelMetadata;
}

export async function writeModelMetadata(modelDir: string, metadata: ModelMetadata): Promise<void> {
  await writeFile(path.join(modelDir, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
}
