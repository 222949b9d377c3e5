import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLeukoCnn } from "../architectures/leuko-cnn.js";
import { selectBackend } from "../backend.js";
import { seededRandom } from "@leukoflow/imaging";
import { imagesToInputTensor } from "../model/input-tensor.js";
import { recalibrateBatchNorm } from "./recalibrate-batch-norm.js";

const NORMALIZATION = { scale: 1 / 255, offset: 0, description: "x/255" };

describe("recalibrateBatchNorm", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  it("makes inference mode equal training mode on the images it was calibrated on", async () => {
    const random = seededRandom(11);
    const images = Array.from({ length: 12 }, () =>
      Uint8Array.from({ length: 16 * 16 * 3 }, () => Math.floor(random() * 256)),
    );
    const model = buildLeukoCnn({ inputSize: 16, numClasses: 4, stageFilters: [8, 16], dropout: 0 });
    const x = imagesToInputTensor(images, 16, NORMALIZATION);
    // Batch statistics of the whole set, which is what recalibration should store.
    const expected = tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][]);
    const before = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    await recalibrateBatchNorm(model, images, 16, NORMALIZATION, 5);
    const after = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync() as number[][]);
    const maxDifference = (a: number[][]): number =>
      Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - expected[i]![j]!))));
    expect(maxDifference(before)).toBeGreaterThan(1e-3);
    expect(maxDifference(after)).toBeLessThan(1e-4);
    x.dispose();
    model.dispose();
  });
});
