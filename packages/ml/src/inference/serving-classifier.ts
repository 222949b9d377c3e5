import * as tf from "@tensorflow/tfjs";
import { ensureBackend } from "../backend.js";
import { readModelMetadata, type ModelMetadata } from "../model-metadata.js";
import { loadModelFiles } from "../training/model-files.js";
import { imagesToInputTensor } from "../training/input-tensor.js";
import { energyScore, softmaxWithTemperature } from "./calibrated-outputs.js";
import { splitClassifierHead } from "./classifier-head.js";
import { gradCamMaps } from "./grad-cam.js";
import { readOodCalibration, type OodCalibration } from "./ood-calibration.js";
import { meanOverVariants, stackTtaVariants, type TtaMode } from "./test-time-augmentation.js";

export interface ImageScore {
  /** softmax(logits / temperature), averaged over the test-time-augmentation variants; meta.classes order. */
  probabilities: Float32Array;
  /** Energy score of the un-augmented image; higher means less like the training data. */
  energy: number;
}

/** A trained classifier as the inference worker serves it. Every method leaves no tensor behind. */
export interface ServingClassifier {
  meta: ModelMetadata;
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

function readTemperature(meta: ModelMetadata): number {
  const { temperature } = meta;
  if (temperature === undefined) return 1;
  if (typeof temperature !== "number" || !(temperature > 0)) throw new Error(`${meta.name}: temperature must be a positive number`);
  return temperature;
}

function rowsOf(data: Float32Array, rows: number): Float32Array[] {
  const width = data.length / rows;
  return Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
}

/** Loads a model directory written by training (model.json, weights, leukoflow-model.json) for serving. */
export async function loadServingClassifier(modelDir: string): Promise<ServingClassifier> {
  await ensureBackend();
  const meta = await readModelMetadata(modelDir);
  const temperature = readTemperature(meta);
  const model = await loadModelFiles(modelDir);
  const head = splitClassifierHead(model);
  const { inputSize, normalization } = meta;
  let disposed = false;
  const input = (images: readonly Uint8Array[]): tf.Tensor4D => {
    if (disposed) throw new ClassifierDisposedError(`${meta.name}@${meta.version} is disposed`);
    return imagesToInputTensor(images, inputSize, normalization);
  };

  return {
    meta,
    temperature,
    ood: readOodCalibration(meta),
    async score(images, tta) {
      const [probabilities, energies] = tf.tidy(() => {
        const batch = input(images);
        const [, features] = head.body.predict(stackTtaVariants(batch, tta)) as [tf.Tensor4D, tf.Tensor2D];
        const logits = head.logits(features);
        const plainLogits = tf.slice(logits, [0, 0], [images.length, -1]);
        return [meanOverVariants(softmaxWithTemperature(logits, temperature), tta), energyScore(plainLogits)];
      });
      try {
        const [probabilityData, energyData] = await Promise.all([probabilities.data() as Promise<Float32Array>, energies.data()]);
        return rowsOf(probabilityData, images.length).map((row, i) => ({ probabilities: row, energy: energyData[i]! }));
      } finally {
        probabilities.dispose();
        energies.dispose();
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
