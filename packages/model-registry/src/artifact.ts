import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { METADATA_FILE, ONNX_FILE, type ModelMetadata } from "@leukoflow/contracts";
import { MODEL_FILE, parseModelMetadata } from "@leukoflow/ml";
import { z } from "zod";

const TfjsModelJson = z.object({
  weightsManifest: z.array(z.object({ paths: z.array(z.string()) })),
});

/**
 * Every file of a model artifact, in a stable order: metadata, topology, weight shards (none for a
 * model imported from ONNX, which has no model.json), the OOD statistics if any, then the ONNX graph
 * if any (last, so versions without one keep their digest).
 */
export function artifactFileNames(metadataJson: Buffer, modelJson: Buffer | null): string[] {
  const metadata = parseModelMetadata(JSON.parse(metadataJson.toString("utf8")), METADATA_FILE);
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
  const metadata = parseModelMetadata(JSON.parse(files[0]!.bytes.toString("utf8")), path.join(dir, METADATA_FILE));
  return { metadata, files, sha256: artifactDigest(files.map((file) => file.bytes)) };
}
