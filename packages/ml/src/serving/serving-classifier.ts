import * as tf from "@tensorflow/tfjs";
import { ensureBackend } from "../backend.js";
import { readModelMetadata } from "../model/model-metadata.js";
import { loadModelFiles } from "../model/model-files.js";
import { imagesToInputTensor } from "../model/input-tensor.js";
import { softmaxWithTemperature } from "./calibrated-outputs.js";
import { splitClassifierHead } from "./classifier-head.js";
import { gradCamMaps } from "./grad-cam.js";
import { layerOutputs, pooledLayerFeatures } from "../ood/layer-features.js";
import { readOodDetector, type OodDetector } from "../ood/ood-calibration.js";
import { standardisedDistance } from "../ood/ood-score.js";
import { meanOverVariants, stackTtaVariants, type TtaMode } from "./test-time-augmentation.js";
import type { ModelMetadata, OodCalibration } from "@leukoflow/contracts";

export interface ImageScore {
  /** softmax(logits / temperature), averaged over the test-time-augmentation variants; meta.classes order. */
  probabilities: Float32Array;
  /**
   * Of the un-augmented image: its standardised Mahalanobis distance from the training data minus
   * the calibrated threshold (> 0: out of distribution); null when the model carries no OOD calibration.
   */
  oodScore: number | null;
}

export const INFERENCE_ENGINES = ["onnx", "tfjs"] as const;
/** What runs the forward passes: ONNX Runtime (model.onnx) or TensorFlow.js (model.json). */
export type InferenceEngine = (typeof INFERENCE_ENGINES)[number];

/** A trained classifier as the inference worker serves it. Every method leaves no tensor behind. */
export interface ServingClassifier {
  meta: ModelMetadata;
  /** The engine and where it runs: an ONNX Runtime execution provider or a tfjs backend. */
  engine: { name: InferenceEngine; device: string };
  /** From leukoflow-model.json's `temperature` (fitted on validation data); 1 when absent. */
  temperature: number;
  ood: OodCalibration | null;
  /** Images: raw RGB bytes, HWC, meta.inputSize² × 3 each. */
  score(images: readonly Uint8Array[], tta: TtaMode): Promise<ImageScore[]>;
  /** One Grad-CAM map per image for the given class, inputSize² values in [0, 1], row-major. */
  gradCam(images: readonly Uint8Array[], classIndices: readonly number[]): Promise<Float32Array[]>;
  dispose(): void;
}

export class ClassifierDisposedError extends Error {
  override readonly name = "ClassifierDisposedError";
}

export function readTemperature(meta: ModelMetadata): number {
  const { temperature } = meta;
  if (temperature === undefined) return 1;
  if (typeof temperature !== "number" || !(temperature > 0))
    throw new Error(`${meta.name}: temperature must be a positive number`);
  return temperature;
}

export function rowsOf(data: Float32Array, rows: number): Float32Array[] {
  const width = data.length / rows;
  return Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
}

/** Per image: its probabilities and, from its pooled features at each OOD layer (featureRows[layer][image]), its OOD score. */
export function imageScores(
  probabilityRows: readonly Float32Array[],
  featureRows: readonly Float32Array[][],
  ood: OodDetector | null,
): ImageScore[] {
  return probabilityRows.map((row, i) => ({
    probabilities: row,
    oodScore: ood
      ? standardisedDistance(
          ood.gaussians,
          ood.calibration.layers,
          featureRows.map((rows) => rows[i]!),
        ) - ood.calibration.threshold
      : null,
  }));
}

/** Loads a model directory written by training (model.json, weights, leukoflow-model.json) for serving. */
export async function loadServingClassifier(modelDir: string): Promise<ServingClassifier> {
  await ensureBackend();
  const meta = await readModelMetadata(modelDir);
  const temperature = readTemperature(meta);
  const model = await loadModelFiles(modelDir);
  const head = splitClassifierHead(model);
  const ood = await readOodDetector(modelDir, meta);
  // One forward pass gives the Grad-CAM activation, the penultimate features and the OOD layers (which may include those two).
  const oodLayerOutputs = layerOutputs(model, ood?.calibration.layers.map((layer) => layer.name) ?? []);
  const outputs = [...new Set([...head.body.outputs, ...oodLayerOutputs])];
  const oodOutputIndices = oodLayerOutputs.map((output) => outputs.indexOf(output));
  const body = tf.model({ inputs: model.inputs, outputs });
  const { inputSize, normalization } = meta;
  let disposed = false;
  const input = (images: readonly Uint8Array[]): tf.Tensor4D => {
    if (disposed) throw new ClassifierDisposedError(`${meta.name}@${meta.version} is disposed`);
    return imagesToInputTensor(images, inputSize, normalization);
  };

  return {
    meta,
    engine: { name: "tfjs", device: tf.getBackend() },
    temperature,
    ood: ood?.calibration ?? null,
    async score(images, tta) {
      const [probabilities, ...oodFeatures] = tf.tidy(() => {
        const activations = body.predict(stackTtaVariants(input(images), tta)) as tf.Tensor[];
        return [
          meanOverVariants(softmaxWithTemperature(head.logits(activations[1] as tf.Tensor2D), temperature), tta),
          ...oodOutputIndices.map((index) => pooledLayerFeatures(tf.slice(activations[index]!, 0, images.length))),
        ];
      });
      try {
        const [probabilityData, ...featureData] = (await Promise.all(
          [probabilities, ...oodFeatures].map((t) => t.data()),
        )) as Float32Array[];
        return imageScores(
          rowsOf(probabilityData!, images.length),
          featureData.map((data) => rowsOf(data, images.length)),
          ood,
        );
      } finally {
        [probabilities, ...oodFeatures].forEach((tensor) => tensor.dispose());
      }
    },
    async gradCam(images, classIndices) {
      const maps = tf.tidy(() => {
        const [activation] = head.body.predict(input(images)) as [tf.Tensor4D, tf.Tensor2D];
        return gradCamMaps(head, activation, classIndices, inputSize);
      });
      try {
        return rowsOf((await maps.data()) as Float32Array, images.length);
      } finally {
        maps.dispose();
      }
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
