import * as tf from "@tensorflow/tfjs";
import type { BlockSplitOptions } from "../data/block-split.js";
import { readModelMetadata } from "../model/model-metadata.js";
import { loadModelFiles } from "../model/model-files.js";
import type { HeldOutRange } from "@leukoflow/contracts";

/** A trained model whose weights start a new run (e.g. the same network at a larger input size). */
export interface InitialWeights {
  /** "name version", as the new report names it. */
  source: string;
  weights: tf.Tensor[];
}

/** The starting model cannot seed this run: other network, classes or held-out images. */
export class InitialWeightsMismatchError extends Error {
  constructor(modelDir: string, reason: string) {
    super(`cannot start from ${modelDir}: ${reason}`);
    this.name = "InitialWeightsMismatchError";
  }
}

export interface InitialWeightsExpectations {
  architecture: string;
  classes: readonly string[];
  splitOptions: { test: BlockSplitOptions; monitor: BlockSplitOptions };
  heldOutRanges: readonly HeldOutRange[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reads the weights of a shipped model folder, refusing one trained on another architecture, other
 * classes or another split: its training images would include this run's test blocks.
 */
export async function readInitialWeights(
  modelDir: string,
  expected: InitialWeightsExpectations,
): Promise<InitialWeights> {
  const metadata = await readModelMetadata(modelDir);
  const refuse = (reason: string): never => {
    throw new InitialWeightsMismatchError(modelDir, reason);
  };
  if (metadata.architecture !== expected.architecture)
    refuse(`it is a ${metadata.architecture}, this run trains a ${expected.architecture}`);
  if (!same(metadata.classes, expected.classes))
    refuse(`its classes are ${metadata.classes.join("/")}, this run's ${expected.classes.join("/")}`);
  if (
    !same(metadata.splitOptions, expected.splitOptions) ||
    !same(metadata.validation.heldOutRanges, expected.heldOutRanges)
  ) {
    refuse("it was trained on another split, so its training images may include this run's held-out blocks");
  }
  const model = await loadModelFiles(modelDir);
  const weights = model.getWeights().map((w) => w.clone());
  model.dispose();
  return { source: `${metadata.name} ${metadata.version}`, weights };
}

/** Copies the weights into `model` (consumes them); every shape must match, whatever the input size. */
export function applyInitialWeights(model: tf.LayersModel, initial: InitialWeights): void {
  const shapes = model.getWeights().map((w) => w.shape);
  // Over the longer list, so a model with extra or missing weights names the first one that differs.
  const count = Math.max(shapes.length, initial.weights.length);
  const mismatch = Array.from({ length: count }, (_, i) => i).findIndex(
    (i) => !same(shapes[i], initial.weights[i]?.shape),
  );
  if (mismatch >= 0) {
    tf.dispose(initial.weights);
    throw new InitialWeightsMismatchError(
      initial.source,
      `weight ${mismatch} has shape ${JSON.stringify(initial.weights[mismatch]?.shape)}, this network needs ${JSON.stringify(shapes[mismatch])} (other --filters?)`,
    );
  }
  model.setWeights(initial.weights);
  tf.dispose(initial.weights);
}
