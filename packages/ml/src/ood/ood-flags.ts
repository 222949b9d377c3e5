import { loadImages } from "../data/load-images.js";
import type { ImageShift } from "../data/shift-suite.js";
import { loadEnsemble } from "../serving/load-ensemble.js";

const BATCH = 64;

/**
 * Whether the inference worker would flag each image file `out_of_distribution` under the given
 * model folders (several = an equal-weight ensemble) or ensemble folder.
 */
export async function oodFlags(
  modelDirs: readonly string[],
  files: readonly string[],
  shift?: ImageShift,
): Promise<boolean[]> {
  const ensemble = await loadEnsemble(modelDirs);
  try {
    if (ensemble.members.every(({ classifier }) => classifier.ood === null)) {
      throw new Error(
        `none of ${ensemble.members.map(({ classifier }) => classifier.meta.name).join(", ")} carries an OOD calibration: run leukoflow models calibrate-ood first`,
      );
    }
    const flags: boolean[] = [];
    for (let start = 0; start < files.length; start += BATCH) {
      const images = await loadImages(files.slice(start, start + BATCH), ensemble.input, shift);
      for (const score of await ensemble.score(images, "none")) flags.push(score.oodScore! > 0);
    }
    return flags;
  } finally {
    ensemble.dispose();
  }
}
