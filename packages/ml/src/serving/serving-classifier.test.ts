import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { loadClassifier, type Classifier } from "../classifier.js";
import { decodeToModelInput } from "../data/decode-to-model-input.js";
import { readModelMetadata, writeModelMetadata } from "../model/model-metadata.js";
import { loadModelFiles } from "../model/model-files.js";
import { imagesToInputTensor } from "../model/input-tensor.js";
import { splitClassifierHead } from "./classifier-head.js";
import { Ensemble } from "./ensemble.js";
import { heldOutImagePaths } from "../data/held-out-images.js";
import { loadServingClassifier, type ServingClassifier } from "./serving-classifier.js";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
const ARIA = ariaOriginalDir();
const TEMPERATURE = 2.5;

/** Mirrors an HWC RGB image left-right or top-bottom, byte by byte. */
function flip(image: Uint8Array, size: number, axis: "h" | "v"): Uint8Array {
  const out = new Uint8Array(image.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [sy, sx] = axis === "h" ? [y, size - 1 - x] : [size - 1 - y, x];
      out.set(image.subarray((sy * size + sx) * 3, (sy * size + sx) * 3 + 3), (y * size + x) * 3);
    }
  }
  return out;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.max(...Array.from(a, (value, i) => Math.abs(value - b[i]!)));
}

describe("serving classifier on the shipped model and held-out images", () => {
  let reference: Classifier;
  let serving: ServingClassifier;
  let warmer: ServingClassifier;
  let images: Uint8Array[];
  const size = 64;

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
    const warmerDir = await mkdtemp(path.join(tmpdir(), "lf-temperature-"));
    await cp(SHIPPED_MODEL, warmerDir, { recursive: true });
    await writeModelMetadata(warmerDir, { ...(await readModelMetadata(warmerDir)), temperature: TEMPERATURE });
    reference = await loadClassifier(SHIPPED_MODEL);
    serving = await loadServingClassifier(SHIPPED_MODEL);
    warmer = await loadServingClassifier(warmerDir);
    // Three held-out images of each class.
    const heldOut = await heldOutImagePaths(ARIA, serving.meta);
    const picked = serving.meta.classes.flatMap((label) =>
      heldOut.filter((file) => path.basename(path.dirname(file)) === label).slice(0, 3),
    );
    images = await Promise.all(
      picked.map(async (file) =>
        decodeToModelInput(await readFile(file), { inputSize: size, stainNormalization: "none" }),
      ),
    );
  });

  afterAll(() => {
    reference?.dispose();
    serving?.dispose();
    warmer?.dispose();
  });

  it("gives the classifier's own softmax at temperature 1 without augmentation", async () => {
    const expected = await reference.predict(images);
    const scores = await serving.score(images, "none");
    scores.forEach((score, i) => expect(maxAbsDifference(score.probabilities, expected[i]!)).toBeLessThan(1e-5));
    expect(serving.temperature).toBe(1);
    // The shipped model carries an OOD calibration, so every image gets a score.
    scores.forEach((score) => expect(typeof score.oodScore).toBe("number"));
  });

  it("divides the logits by the temperature from leukoflow-model.json", async () => {
    const plain = await serving.score(images, "none");
    const scaled = await warmer.score(images, "none");
    expect(warmer.temperature).toBe(TEMPERATURE);
    plain.forEach((score, i) => {
      // log p equals the logits up to a per-image constant, which softmax ignores.
      const logits = Array.from(score.probabilities, (p) => Math.log(p) / TEMPERATURE);
      const total = logits.reduce((sum, z) => sum + Math.exp(z), 0);
      expect(
        maxAbsDifference(
          scaled[i]!.probabilities,
          logits.map((z) => Math.exp(z) / total),
        ),
      ).toBeLessThan(1e-4);
      expect(Math.max(...scaled[i]!.probabilities)).toBeLessThanOrEqual(Math.max(...score.probabilities) + 1e-6);
    });
  });

  it("averages flip test-time augmentation exactly as scoring the flipped images one by one", async () => {
    const variants = [
      images,
      images.map((im) => flip(im, size, "h")),
      images.map((im) => flip(im, size, "v")),
      images.map((im) => flip(flip(im, size, "v"), size, "h")),
    ];
    const separately = await Promise.all(variants.map((batch) => serving.score(batch, "none")));
    const averaged = await serving.score(images, "flips");
    averaged.forEach((score, i) => {
      const mean = score.probabilities.map(
        (_, c) => separately.reduce((sum, scores) => sum + scores[i]!.probabilities[c]!, 0) / variants.length,
      );
      expect(maxAbsDifference(score.probabilities, mean)).toBeLessThan(1e-5);
    });
  });

  it("computes Grad-CAM of the winning class, equal to CAM for a pooled dense head", async () => {
    const scores = await serving.score(images, "none");
    const winners = scores.map((score) => score.probabilities.indexOf(Math.max(...score.probabilities)));
    const maps = await serving.gradCam(images, winners);
    const model = await loadModelFiles(SHIPPED_MODEL);
    const head = splitClassifierHead(model);
    const [kernel] = model.layers.at(-1)!.getWeights();
    const cams = tf.tidy(() => {
      const [activation] = head.body.predict(
        imagesToInputTensor(images, size, serving.meta.normalization),
      ) as tf.Tensor4D[];
      const classWeights = tf.transpose(tf.gather(kernel!, winners, 1)).reshape([images.length, 1, 1, -1]);
      const cam = tf.relu(tf.sum<tf.Tensor4D>(tf.mul(activation!, classWeights), 3, true));
      return tf.image
        .resizeBilinear(tf.div<tf.Tensor4D>(cam, tf.max(cam, [1, 2, 3], true)), [size, size])
        .reshape([images.length, -1])
        .arraySync() as number[][];
    });
    model.dispose();
    maps.forEach((map, i) => {
      expect(map.length).toBe(size * size);
      expect(maxAbsDifference(map, cams[i]!)).toBeLessThan(1e-4);
      expect(Math.max(...map)).toBeCloseTo(1, 5);
      expect(Math.min(...map)).toBeLessThan(0.5);
    });
  });

  it("soft-votes an ensemble with normalised weights and reports each member", async () => {
    const ensemble = new Ensemble([
      { classifier: serving, weight: 3 },
      { classifier: warmer, weight: 1 },
    ]);
    const [plain, scaled, voted] = [
      await serving.score(images, "none"),
      await warmer.score(images, "none"),
      await ensemble.score(images, "none"),
    ];
    voted.forEach((score, i) => {
      const expected = plain[i]!.probabilities.map((p, c) => 0.75 * p + 0.25 * scaled[i]!.probabilities[c]!);
      expect(maxAbsDifference(score.probabilities, expected)).toBeLessThan(1e-6);
      expect(score.members.map((member) => member.probabilities)).toEqual([
        plain[i]!.probabilities,
        scaled[i]!.probabilities,
      ]);
      expect(score.oodScore).toBe(Math.max(plain[i]!.oodScore!, scaled[i]!.oodScore!));
    });
  });

  it("leaves tf.memory().numTensors unchanged after 1,000 predictions, with RSS flat", async () => {
    const batch = Array.from({ length: 50 }, (_, i) => images[i % images.length]!);
    await serving.score(batch, "none");
    await serving.gradCam(
      batch,
      batch.map(() => 0),
    );
    const tensorsBefore = tf.memory().numTensors;
    const rss: number[] = [];
    for (let predictions = 0; predictions < 1_000; predictions += batch.length) {
      const scores = await serving.score(batch, predictions % 500 === 0 ? "flips" : "none");
      if (predictions % 250 === 0)
        await serving.gradCam(
          batch,
          scores.map((score) => score.probabilities.indexOf(Math.max(...score.probabilities))),
        );
      rss.push(process.memoryUsage.rss());
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const quarter = Math.floor(rss.length / 4);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const first = mean(rss.slice(0, quarter));
    const last = mean(rss.slice(-quarter));
    expect(last).toBeLessThan(first * 1.05 + 16 * 2 ** 20);
  }, 120_000);
});
