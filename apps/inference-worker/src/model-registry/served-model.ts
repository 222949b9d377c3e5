import { Ensemble, loadServingModel, type ServingClassifier, type TtaMode } from "@leukoflow/ml";
import type { Database, ModelVersion, ObjectStore } from "@leukoflow/shared";
import { ArtifactMismatchError, ENSEMBLE_ARCHITECTURE, ensembleDigest, fetchArtifact } from "@leukoflow/model-registry";

export interface ServedMember {
  modelVersionId: string;
  /** Normalised soft-voting weight. */
  weight: number;
}

/** A registered version loaded for serving: one model, or an ensemble of registered ones. */
export interface ServedModel {
  version: ModelVersion;
  ensemble: Ensemble;
  /** The ensemble's members in order; empty for a single model. */
  members: ServedMember[];
  dispose(): void;
}

async function runBlankBatch(ensemble: Ensemble, size: number, tta: TtaMode): Promise<void> {
  const blank = Array.from({ length: size }, () => new Uint8Array(ensemble.input.inputSize ** 2 * 3));
  const scores = await ensemble.score(blank, tta);
  await ensemble.gradCam(
    blank,
    scores.map(() => 0),
  );
}

/** The engines serving the model's members, as engine/device (onnx/cpu, onnx/cuda, tfjs/wasm…). */
export function servingEngines(model: ServedModel): string[] {
  return [
    ...new Set(model.ensemble.members.map(({ classifier }) => `${classifier.engine.name}/${classifier.engine.device}`)),
  ];
}

/** Milliseconds one batch of `size` takes on a warm model, as the worker runs it. */
export async function timeFullBatch(model: ServedModel, size: number, tta: TtaMode): Promise<number> {
  const started = performance.now();
  await runBlankBatch(model.ensemble, size, tta);
  return performance.now() - started;
}

export interface RegistryDeps {
  db: Database;
  objectStore: ObjectStore;
}

async function loadMembers(
  deps: RegistryDeps,
  version: ModelVersion,
): Promise<{ version: ModelVersion; weight: number }[]> {
  if (version.architecture !== ENSEMBLE_ARCHITECTURE) return [{ version, weight: 1 }];
  const members = await deps.db.modelVersions.ensembleMembers(version.id);
  const resolved = members.map(({ version: member, weight }) => ({
    name: member.name,
    version: member.version,
    artifactSha256: member.artifactSha256,
    weight,
  }));
  if (members.length === 0 || ensembleDigest(version.name, version.version, resolved) !== version.artifactSha256) {
    throw new ArtifactMismatchError(`Members of ${version.name}@${version.version} do not match its registered digest`);
  }
  return members;
}

/**
 * Fetches, verifies and loads a version (every member of an ensemble), then warms it with one
 * forward pass of a full batch so the first real batch does not pay for kernel set-up.
 */
export async function loadServedModel(
  deps: RegistryDeps,
  version: ModelVersion,
  cacheDir: string,
  warmBatchSize: number,
): Promise<ServedModel> {
  const members = await loadMembers(deps, version);
  const classifiers: ServingClassifier[] = [];
  try {
    for (const member of members) {
      classifiers.push(await loadServingModel(await fetchArtifact(deps.objectStore, member.version, cacheDir)));
    }
    const ensemble = new Ensemble(classifiers.map((classifier, i) => ({ classifier, weight: members[i]!.weight })));
    await runBlankBatch(ensemble, warmBatchSize, "none");
    const total = members.reduce((sum, member) => sum + member.weight, 0);
    return {
      version,
      ensemble,
      members:
        version.architecture === ENSEMBLE_ARCHITECTURE
          ? members.map((member) => ({ modelVersionId: member.version.id, weight: member.weight / total }))
          : [],
      dispose: () => ensemble.dispose(),
    };
  } catch (error) {
    for (const classifier of classifiers) classifier.dispose();
    throw error;
  }
}
