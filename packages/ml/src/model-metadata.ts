import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StainNormalization } from "@leukoflow/imaging";
import { z } from "zod";
import type { HeldOutRange } from "./data/block-split.js";
import type { ModelInputSpec } from "./data/decode-to-model-input.js";

export const METADATA_FILE = "leukoflow-model.json";

/**
 * Model input, per channel c, HWC: RGB byte · scale + offset, or (byte · scale − mean[c]) / std[c]
 * as PyTorch-style models imported from ONNX take it.
 */
export type InputNormalization =
  | { scale: number; offset: number; description: string }
  | { scale: number; mean: [number, number, number]; std: [number, number, number]; description: string };

/** Per channel, input = byte · multiply[c] + add[c]: the one place both normalization forms are applied from. */
export function channelAffine(normalization: InputNormalization): { multiply: number[]; add: number[] } {
  const { scale } = normalization;
  if ("offset" in normalization)
    return { multiply: [scale, scale, scale], add: [0, 1, 2].map(() => normalization.offset) };
  const { mean, std } = normalization;
  return { multiply: std.map((s) => scale / s), add: mean.map((m, c) => -m / std[c]!) };
}

export const ONNX_FILE = "model.onnx";

/**
 * leukoflow-model.json's `onnx` block: the ONNX graph beside the tfjs files and the names of the
 * outputs serving reads. `logits` is the final Dense before its softmax; `probabilities` only for
 * imported models that give a softmax and no logits. `layerOutputs` maps the layer names of
 * ood.layers to their outputs (spatial ones in `layout`).
 */
export const OnnxModelSpec = z
  .object({
    file: z.string().min(1),
    input: z.string().min(1),
    layout: z.enum(["NHWC", "NCHW"]),
    logits: z.string().min(1).optional(),
    probabilities: z.string().min(1).optional(),
    lastConv: z.string().min(1).nullable(),
    features: z.string().min(1).nullable(),
    layerOutputs: z.record(z.string(), z.string()),
  })
  .refine(
    (spec) => (spec.logits === undefined) !== (spec.probabilities === undefined),
    "exactly one of logits and probabilities must be named",
  );
export type OnnxModelSpec = z.infer<typeof OnnxModelSpec>;

export class InvalidModelMetadataError extends Error {
  override readonly name = "InvalidModelMetadataError";
}

/** The model's validated `onnx` block, or null for a model published before ONNX serving. */
export function onnxSpecOf(meta: ModelMetadata): OnnxModelSpec | null {
  if (meta.onnx === undefined) return null;
  const parsed = OnnxModelSpec.safeParse(meta.onnx);
  if (!parsed.success)
    throw new InvalidModelMetadataError(
      `${meta.name}: invalid onnx block in ${METADATA_FILE}: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
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
  /** Absent in models published before ONNX serving (they are served by tfjs); see onnxSpecOf. */
  onnx?: OnnxModelSpec;
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
