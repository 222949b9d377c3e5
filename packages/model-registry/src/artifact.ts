import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { METADATA_FILE, MODEL_FILE, ONNX_FILE, OOD_STATISTICS_FILE, STAIN_NORMALIZATIONS } from "@leukoflow/ml";
import { OperatingPoint } from "@leukoflow/shared";
import { z } from "zod";

/** The fields of a model's metadata file (written by training) that registering it relies on. */
export const ModelMetadata = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  architecture: z.string().min(1),
  task: z.string().min(1),
  classes: z.array(z.string()).min(2),
  inputSize: z.number().int().positive(),
  /** Absent in models trained before it existed: the camera's colours. */
  stainNormalization: z.enum(STAIN_NORMALIZATIONS).default("none"),
  metrics: z.record(z.string(), z.unknown()).optional(),
  /** Set by `models calibrate --target-sensitivity`; absent: the default thresholds. */
  operatingPoint: OperatingPoint.optional(),
  /** An OOD calibration keeps its statistics in a file of the artifact. */
  ood: z.object({ statisticsFile: z.literal(OOD_STATISTICS_FILE).optional() }).optional(),
  /** The ONNX graph beside the tfjs files; absent in versions published before ONNX serving (served by tfjs). */
  onnx: z.object({ file: z.literal(ONNX_FILE) }).optional(),
});
export type ModelMetadata = z.infer<typeof ModelMetadata>;

const TfjsModelJson = z.object({
  weightsManifest: z.array(z.object({ paths: z.array(z.string()) })),
});

/**
 * Every file of a model artifact, in a stable order: metadata, topology, weight shards (none for a
 * model imported from ONNX, which has no model.json), the OOD statistics if any, then the ONNX graph
 * if any (last, so versions without one keep their digest).
 */
export function artifactFileNames(metadataJson: Buffer, modelJson: Buffer | null): string[] {
  const metadata = ModelMetadata.parse(JSON.parse(metadataJson.toString("utf8")));
  if (!modelJson && !metadata.onnx) throw new Error(`${metadata.name} has neither ${MODEL_FILE} nor ${ONNX_FILE}`);
  const tfjs = modelJson
    ? [
        MODEL_FILE,
        ...TfjsModelJson.parse(JSON.parse(modelJson.toString("utf8"))).weightsManifest.flatMap((group) => group.paths),
      ]
    : [];
  const optional = [metadata.ood?.statisticsFile, metadata.onnx?.file].filter((name) => name !== undefined);
  return [METADATA_FILE, ...tfjs, ...optional];
}

/** SHA-256 over the artifact's files in artifactFileNames order; identifies exactly what a worker serves. */
export function artifactDigest(files: Buffer[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(createHash("sha256").update(file).digest());
  return hash.digest("hex");
}

export interface LocalArtifact {
  metadata: ModelMetadata;
  files: { name: string; bytes: Buffer }[];
  sha256: string;
}

export async function readLocalArtifact(dir: string): Promise<LocalArtifact> {
  const metadataJson = await readFile(path.join(dir, METADATA_FILE));
  const modelJson = existsSync(path.join(dir, MODEL_FILE)) ? await readFile(path.join(dir, MODEL_FILE)) : null;
  const names = artifactFileNames(metadataJson, modelJson);
  const files = await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
  const metadata = ModelMetadata.parse(JSON.parse(files[0]!.bytes.toString("utf8")));
  return { metadata, files, sha256: artifactDigest(files.map((file) => file.bytes)) };
}
