import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import { ensureBackend } from "../../backend.js";
import { softmaxWithTemperature } from "../../inference/calibrated-outputs.js";
import { UnsupportedArchitectureError } from "../../inference/classifier-head.js";
import { classActivationMaps } from "../../inference/grad-cam.js";
import { pooledLayerFeatures } from "../../inference/ood/layer-features.js";
import { readOodDetector } from "../../inference/ood/ood-calibration.js";
import {
  ClassifierDisposedError, imageScores, loadServingClassifier, readTemperature, rowsOf, type ServingClassifier,
} from "../../inference/serving-classifier.js";
import { meanOverVariants, stackTtaVariants } from "../../inference/test-time-augmentation.js";
import { InvalidModelMetadataError, onnxSpecOf, readModelMetadata, type OnnxModelSpec } from "../../model-metadata.js";
import { imagesToInputTensor } from "../../model/input-tensor.js";
import { camHeadOf } from "./cam-head.js";
import { createOnnxSession, type OnnxSessionOptions } from "./onnx-session.js";

export class MissingOnnxModelError extends Error {
  override readonly name = "MissingOnnxModelError";
}

/** Where the model's ONNX graph is, or null for a model without one (published before ONNX serving). */
export function onnxModelFile(modelDir: string, spec: OnnxModelSpec | null): string | null {
  const file = spec && path.join(modelDir, spec.file);
  return file && existsSync(file) ? file : null;
}

/** Runs the graph on an NHWC batch; returns the named outputs as tfjs tensors, spatial ones NHWC. */
export type OnnxForward = (input: tf.Tensor4D, outputs: readonly string[]) => Promise<tf.Tensor[]>;

function onnxForward(session: InferenceSession, spec: OnnxModelSpec): OnnxForward {
  const nchw = spec.layout === "NCHW";
  return async (input, outputs) => {
    const feed = nchw ? tf.transpose(input, [0, 3, 1, 2]) : input;
    const tensor = new Tensor("float32", feed.dataSync() as Float32Array, feed.shape);
    if (feed !== input) feed.dispose();
    const names = [...new Set(outputs)];
    const results = await session.run({ [spec.input]: tensor }, names);
    return outputs.map((name) => {
      const { data, dims } = results[name]!;
      const value = tf.tensor(data as Float32Array, dims as number[]);
      if (!nchw || value.rank !== 4) return value;
      const nhwc = tf.transpose(value, [0, 2, 3, 1]);
      value.dispose();
      return nhwc;
    });
  };
}

/**
 * Loads a model folder's model.onnx for serving on ONNX Runtime. Scores as loadServingClassifier
 * does (tfjs applies the same normalization, TTA variants, temperature softmax and OOD pooling to
 * the graph's outputs); Grad-CAM comes from the last conv output and the Dense weights, or from
 * tfjs gradients for a head where those do not give it.
 */
export async function loadOnnxServingClassifier(modelDir: string, options: OnnxSessionOptions = {}): Promise<ServingClassifier> {
  await ensureBackend();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const meta = await readModelMetadata(modelDir);
  const label = `${meta.name}@${meta.version}`;
  const spec = onnxSpecOf(meta);
  const file = onnxModelFile(modelDir, spec);
  if (!spec || !file) throw new MissingOnnxModelError(`${label} has no ONNX model in ${modelDir}`);
  const temperature = readTemperature(meta);
  const ood = await readOodDetector(modelDir, meta);
  const oodOutputs = (ood?.calibration.layers ?? []).map(({ name }) => {
    const output = spec.layerOutputs[name];
    if (output === undefined) throw new InvalidModelMetadataError(`${label}: the onnx block names no output for OOD layer ${name}`);
    return output;
  });
  const bytes = await readFile(file);
  const { session, provider } = await createOnnxSession(bytes, `${label} (${file})`, options);
  const { inputSize, normalization } = meta;
  let disposed = false;
  const input = (images: readonly Uint8Array[]): tf.Tensor4D => {
    if (disposed) throw new ClassifierDisposedError(`${label} is disposed`);
    return imagesToInputTensor(images, inputSize, normalization);
  };
  const forward = onnxForward(session, spec);
  const scoreOutput = spec.logits ?? spec.probabilities!;
  let tfjsGradCam: ServingClassifier | undefined;
  try {
    const cam = await camHeadOf(bytes, spec, meta, input, forward);
    if (typeof cam === "string") {
      if (!existsSync(path.join(modelDir, "model.json"))) throw new UnsupportedArchitectureError(`${label}: no Grad-CAM, ${cam}`);
      log(`${label}: Grad-CAM through tfjs gradients, ${cam}`);
      tfjsGradCam = await loadServingClassifier(modelDir);
    }

    return {
      meta,
      engine: { name: "onnx", device: provider },
      temperature,
      ood: ood?.calibration ?? null,
      async score(images, tta) {
        const batch = tf.tidy(() => stackTtaVariants(input(images), tta));
        const [scores, ...layers] = await forward(batch, [scoreOutput, ...oodOutputs]).finally(() => batch.dispose());
        const [probabilities, ...oodFeatures] = tf.tidy(() => {
          // log p is the logits up to a constant per image, which the softmax ignores.
          const logits = (spec.logits !== undefined ? scores! : tf.log(tf.maximum(scores!, 1e-30))) as tf.Tensor2D;
          return [
            meanOverVariants(softmaxWithTemperature(logits, temperature), tta),
            ...layers.map((layer) => pooledLayerFeatures(tf.slice(layer, 0, images.length))),
          ];
        });
        [scores!, ...layers].forEach((tensor) => tensor.dispose());
        return imageScores(probabilities!, oodFeatures, ood);
      },
      async gradCam(images, classIndices) {
        if (tfjsGradCam) return tfjsGradCam.gradCam(images, classIndices);
        const head = cam as Exclude<typeof cam, string>;
        const batch = input(images);
        const [activation] = (await forward(batch, [spec.lastConv!]).finally(() => batch.dispose())) as [tf.Tensor4D];
        const maps = tf.tidy(() => classActivationMaps(activation, head.channelWeights(activation, classIndices), inputSize));
        activation.dispose();
        try {
          return rowsOf((await maps.data()) as Float32Array, images.length);
        } finally {
          maps.dispose();
        }
      },
      dispose() {
        if (!disposed) {
          void session.release();
          tfjsGradCam?.dispose();
        }
        disposed = true;
      },
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}
