import { resolveMembers } from "../model/ensemble.js";
import { Ensemble } from "./ensemble.js";
import { loadServingModel, type ServingEngineOptions } from "./load-serving-model.js";

/** Model folders (several = equal weights) or one ensemble folder, loaded for serving as one Ensemble. */
export async function loadEnsemble(modelDirs: readonly string[], options?: ServingEngineOptions): Promise<Ensemble> {
  const members = await resolveMembers(modelDirs);
  return new Ensemble(
    await Promise.all(
      members.map(async (m) => ({ classifier: await loadServingModel(m.dir, options), weight: m.weight })),
    ),
  );
}
