import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModelFiles, saveModelFiles } from "../model/model-files.js";

/** Where a run stands after a finished epoch; with the weights beside it, enough to go on exactly. */
export interface TrainingState<Record> {
  epoch: number;
  step: number;
  history: Record[];
  best: { epoch: number; score: number };
}

const STATE_FILE = "state.json";
const OPTIMIZER_FILE = "optimizer.bin";
const OPTIMIZER_SPECS_FILE = "optimizer.json";
/** The weights after the last finished epoch and the best ones so far. */
export const LAST_DIR = "last";
export const BEST_DIR = "best";

type NamedTensor = { name: string; tensor: tf.Tensor };
interface TensorSpec {
  name: string;
  shape: number[];
  dtype: tf.DataType;
}

async function writeNamedTensors(dir: string, tensors: NamedTensor[]): Promise<void> {
  const specs: TensorSpec[] = tensors.map(({ name, tensor }) => ({ name, shape: tensor.shape, dtype: tensor.dtype }));
  const data = await Promise.all(tensors.map(({ tensor }) => tensor.data()));
  const buffer = Buffer.concat(
    data.map((values: ArrayLike<number>, i: number) => {
      const typed = specs[i]!.dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values);
      return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
    }),
  );
  await writeFile(path.join(dir, OPTIMIZER_FILE), buffer);
  await writeFile(path.join(dir, OPTIMIZER_SPECS_FILE), JSON.stringify(specs));
}

async function readNamedTensors(dir: string): Promise<NamedTensor[]> {
  const specs = JSON.parse(await readFile(path.join(dir, OPTIMIZER_SPECS_FILE), "utf8")) as TensorSpec[];
  const bytes = await readFile(path.join(dir, OPTIMIZER_FILE));
  let offset = 0;
  return specs.map(({ name, shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const slice = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + size * 4);
    offset += size * 4;
    return {
      name,
      tensor: tf.tensor(dtype === "int32" ? new Int32Array(slice) : new Float32Array(slice), shape, dtype),
    };
  });
}

/** Copies the weights saved in `dir` into `model` (same architecture, built the same way). */
export async function loadWeightsInto(model: tf.LayersModel, dir: string): Promise<void> {
  const saved = await loadModelFiles(dir);
  model.setWeights(saved.getWeights());
  saved.dispose();
}

export async function saveCheckpoint<Record>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainingState<Record>,
): Promise<void> {
  await saveModelFiles(model, path.join(dir, LAST_DIR));
  await writeNamedTensors(dir, await optimizer.getWeights());
  // The state file is written last and atomically: a run killed mid-save resumes from the epoch before.
  await writeFile(path.join(dir, `${STATE_FILE}.tmp`), JSON.stringify(state));
  await rename(path.join(dir, `${STATE_FILE}.tmp`), path.join(dir, STATE_FILE));
}

/** Restores model and optimizer from `dir` and returns the state, or undefined when there is no checkpoint. */
export async function restoreCheckpoint<Record>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<TrainingState<Record> | undefined> {
  if (!existsSync(path.join(dir, STATE_FILE))) return undefined;
  const state = JSON.parse(await readFile(path.join(dir, STATE_FILE), "utf8")) as TrainingState<Record>;
  await loadWeightsInto(model, path.join(dir, LAST_DIR));
  const optimizerWeights = await readNamedTensors(dir);
  await optimizer.setWeights(optimizerWeights);
  tf.dispose(optimizerWeights.map(({ tensor }) => tensor));
  return state;
}
