import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seededRandom } from "@leukoflow/imaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLeukoCnn } from "../architectures/leuko-cnn.js";
import { selectBackend } from "../backend.js";
import { DEFAULT_AUGMENT } from "../data/augment.js";
import { trainClassifier, TrainingInterruptedError, type TrainClassifierOptions } from "./train.js";

const SIZE = 16;
const NORMALIZATION = { scale: 1 / 255, offset: 0, description: "x/255" };
const silent = { update: () => {}, line: () => {} };

/** Four classes that differ in mean colour, so a few steps of training do change predictions. */
function images(count: number, seed: number): { images: Uint8Array[]; labels: number[] } {
  const random = seededRandom(seed);
  const labels = Array.from({ length: count }, (_, i) => i % 4);
  return {
    labels,
    images: labels.map((label) =>
      Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) =>
        Math.floor(random() * 120 + (i % 3 === label % 3 ? 100 : 0) + label * 10),
      ),
    ),
  };
}

describe("trainClassifier checkpoints", () => {
  let dir: string;
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
    dir = mkdtempSync(path.join(tmpdir(), "leukoflow-ckpt-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = (checkpointDir: string): TrainClassifierOptions => ({
    model: buildLeukoCnn({ inputSize: SIZE, numClasses: 4, stageFilters: [4, 8], seed: 3 }),
    inputSize: SIZE,
    classes: ["a", "b", "c", "d"],
    malignantClasses: ["b", "c", "d"],
    normalization: NORMALIZATION,
    train: images(24, 1),
    monitor: images(8, 2),
    epochs: 3,
    batchSize: 8,
    learningRate: 1e-2,
    patience: 3,
    seed: 5,
    augment: DEFAULT_AUGMENT,
    recalibrationImages: 16,
    checkpointDir,
    progress: silent,
  });

  it("a run interrupted after epoch 1 and resumed ends with the weights and history of an uninterrupted run", async () => {
    const straight = options(path.join(dir, "straight"));
    const straightResult = await trainClassifier(straight);

    const interrupted = options(path.join(dir, "interrupted"));
    const signal = AbortSignal.abort();
    await expect(trainClassifier({ ...interrupted, signal })).rejects.toBeInstanceOf(TrainingInterruptedError);
    interrupted.model.dispose();
    const resumed = options(path.join(dir, "interrupted"));
    const resumedResult = await trainClassifier({ ...resumed, resume: true });

    expect(resumedResult.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumedResult.bestEpoch).toBe(straightResult.bestEpoch);
    resumedResult.history.forEach((h, i) => expect(h.trainLoss).toBeCloseTo(straightResult.history[i]!.trainLoss, 4));
    const a = straight.model.getWeights(),
      b = resumed.model.getWeights();
    a.forEach((weight, i) => {
      const difference = Math.max(...Array.from(weight.sub(b[i]!).abs().dataSync()));
      expect(difference, straight.model.weights[i]!.name).toBeLessThan(1e-4);
    });
    straight.model.dispose();
    resumed.model.dispose();
  });
});
