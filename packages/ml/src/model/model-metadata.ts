import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { METADATA_FILE, ModelMetadata, type InputNormalization } from "@leukoflow/contracts";
import { z } from "zod";
import type { ModelInputSpec } from "../data/decode-to-model-input.js";

/** Per channel, input = byte · multiply[c] + add[c]: the one place both normalization forms are applied from. */
export function channelAffine(normalization: InputNormalization): { multiply: number[]; add: number[] } {
  const { scale } = normalization;
  if ("offset" in normalization)
    return { multiply: [scale, scale, scale], add: [0, 1, 2].map(() => normalization.offset) };
  const { mean, std } = normalization;
  return { multiply: std.map((s) => scale / s), add: mean.map((m, c) => -m / std[c]!) };
}

export class InvalidModelMetadataError extends Error {
  override readonly name = "InvalidModelMetadataError";
}

/** How images are decoded for this model, wherever they come from (training, evaluation, serving). */
export function modelInputSpec(meta: Pick<ModelMetadata, "inputSize" | "stainNormalization">): ModelInputSpec {
  return { inputSize: meta.inputSize, stainNormalization: meta.stainNormalization ?? "none" };
}

/** Checks metadata against the one schema of leukoflow-model.json; the error names the file and each bad field. */
export function parseModelMetadata(json: unknown, file: string): ModelMetadata {
  const parsed = ModelMetadata.safeParse(json);
  if (!parsed.success) throw new InvalidModelMetadataError(`${file} is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function readModelMetadata(modelDir: string): Promise<ModelMetadata> {
  const file = path.join(modelDir, METADATA_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidModelMetadataError(`${file} is not JSON: ${error.message}`);
    throw error;
  }
  return parseModelMetadata(json, file);
}

export async function writeModelMetadata(modelDir: string, metadata: ModelMetadata): Promise<void> {
  const file = path.join(modelDir, METADATA_FILE);
  await writeFile(file, `${JSON.stringify(parseModelMetadata(metadata, file), null, 2)}\n`);
}
