import { resolveMembers } from "../training/ensemble.js";
import { Ensemble } from "./ensemble.js";
import { loadServingClassifier } from "./serving-classifier.js";

/** Model folders (several = equal weights) or one ensemble folder, loaded for serving as one Ensemble. */
export async function loadEnsemble(modelDirs: readonly string[]): Promise<Ensemble> {
  const members = await resolveMembers(modelDirs);
  return new Ensemble(await Promise.all(members.map(async (m) => ({ classifier: await loadServingClassifier(m.dir), weight: m.weight }))));
}
