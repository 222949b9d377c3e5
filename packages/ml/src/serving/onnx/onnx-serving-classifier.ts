import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ensureBackend } from "../../backend.js";
import { softmaxWithTemperature } from "../calibrated-outputs.js";
import { UnsupportedArchitectureError } from "../classifier-head.js";
import { classActivationMaps } from "../grad-cam.js";
import { readOodDetector } from "../../ood/ood-calibration.js";
import {
  ClassifierDisposedError,
  imageScores,
  loadServingClassifier,
  readTemperature,
  rowsOf,
  type ServingClassifier,
} from "../serving-classifier.js";
import { meanOverVariants, stackTtaVariantPixels, type TtaMode } from "../test-time-augmentation.js";
import { InvalidModelMetadataError, readModelMetadata } from "../../model/model-metadata.js";
import { normalizedPixels } from "../../model/input-tensor.js";
import { MODEL_FILE } from "../../model/model-files.js";
import { camHeadOf } from "./cam-head.js";
import { nhwcTensor, onnxForward, onnxModelFile, type PlainTensor } from "./onnx-forward.js";
import { createOnnxSession, type OnnxSessionOptions } from "./onnx-session.js";
import { featureRowsOf, withPooledOutputs } from "./pooled-outputs.js";

export class MissingOnnxModelError extends Error {
  override readonly name = "MissingOnnxModelError";
}

/**
 * Loads a model folder's model.onnx for serving on ONNX Runtime. Scores as loadServingClassifier
 * does (tfjs applies the same normalization, TTA variants, temperature softmax and OOD pooling to
 * the graph's outputs); Grad-CAM comes from the last conv output and the Dense weights, or from
 * tfjs gradients for a head where those do not give it.
 */
export async function loadOnnxServingClassifier(
  modelDir: string,
  options: OnnxSessionOptions = {},
): Promise<ServingClassifier> {
  await ensureBackend();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const meta = await readModelMetadata(modelDir);
  const label = `${meta.name}@${meta.version}`;
  const spec = meta.onnx ?? null;
  const file = onnxModelFile(modelDir, spec);
  if (!spec || !file) throw new MissingOnnxModelError(`${label} has no ONNX model in ${modelDir}`);
  const temperature = readTemperature(meta);
  const ood = await readOodDetector(modelDir, meta);
  const oodOutputs = (ood?.calibration.layers ?? []).map(({ name }) => {
    const output = spec.layerOutputs[name];
    if (output === undefined)
      throw new InvalidModelMetadataError(`${label}: the onnx block names no output for OOD layer ${name}`);
    return output;
  });
  const bytes = await readFile(file);
  const graph = withPooledOutputs(bytes, oodOutputs, spec.layout, `${label} (${file})`);
  const { session, provider } = await createOnnxSession(graph.bytes, `${label} (${file})`, options);
  const { inputSize, normalization } = meta;
  let disposed = false;
  const input = (images: readonly Uint8Array[], tta: TtaMode = "none"): PlainTensor => {
    if (disposed) throw new ClassifierDisposedError(`${label} is disposed`);
    const data = stackTtaVariantPixels(
      normalizedPixels(images, inputSize, normalization),
      images.length,
      inputSize,
      3,
      tta,
    );
    return { data, dims: [data.length / (inputSize * inputSize * 3), inputSize, inputSize, 3] };
  };
  const forward = onnxForward(session, spec);
  const scoreOutput = spec.logits ?? spec.probabilities!;
  let tfjsGradCam: ServingClassifier | undefined;
  try {
    const cam = await camHeadOf(bytes, spec, meta, input, forward);
    if (typeof cam === "string") {
      if (!existsSync(path.join(modelDir, MODEL_FILE)))
        throw new UnsupportedArchitectureError(`${label}: no Grad-CAM, ${cam}`);
      log(`${label}: Grad-CAM through tfjs gradients, ${cam}`);
      tfjsGradCam = await loadServingClassifier(modelDir);
    }

    return {
      meta,
      engine: { name: "onnx", device: provider },
      temperature,
      ood: ood?.calibration ?? null,
      async score(images, tta) {
        const outputs = await forward(input(images, tta), [
          scoreOutput,
          ...oodOutputs.map((name) => graph.sources.get(name)!.output),
        ]);
        const scores = outputs[scoreOutput]!;
        const probabilities = tf.tidy(() => {
          const raw = tf.tensor2d(scores.data, scores.dims as [number, number]);
          // log p is the logits up to a constant per image, which the softmax ignores.
          const logits = spec.logits !== undefined ? raw : (tf.log(tf.maximum(raw, 1e-30)) as tf.Tensor2D);
          return meanOverVariants(softmaxWithTemperature(logits, temperature), tta);
        });
        const probabilityData = (await probabilities.data()) as Float32Array;
        probabilities.dispose();
        // Variant-major (stackTtaVariants): the first images.length rows are the un-augmented images.
        const featureRows = oodOutputs.map((name) => featureRowsOf(outputs, graph, name, images.length, spec.layout));
        return imageScores(rowsOf(probabilityData, images.length), featureRows, ood);
      },
      async gradCam(images, classIndices) {
        if (tfjsGradCam) return tfjsGradCam.gradCam(images, classIndices);
        const head = cam as Exclude<typeof cam, string>;
        const activation = nhwcTensor((await forward(input(images), [spec.lastConv!]))[spec.lastConv!]!, spec.layout);
        const maps = tf.tidy(() =>
          classActivationMaps(activation, head.channelWeights(activation, classIndices), inputSize),
        );
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
