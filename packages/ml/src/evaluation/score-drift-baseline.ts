import { existsSync } from "node:fs";
import path from "node:path";
import { driftBaseline, type DriftBaseline, type ScoredImage } from "@leukoflow/shared";
import { ensureBackend } from "../backend.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import { modelInputSpec, readModelMetadata } from "../model/model-metadata.js";
import { selectSplit } from "../data/select-split.js";
import { loadServingModel } from "../serving/load-serving-model.js";
import type { TtaMode } from "../serving/test-time-augmentation.js";

const SCORE_BATCH = 64;

/**
 * `leukoflow models baseline`: scores a model's monitor blocks of `dataDir` as the inference worker
 * does (same engine, temperature, TTA, OOD score) and summarises them as the drift baseline.
 */
export async function scoreDriftBaseline(options: {
  modelDir: string;
  dataDir: string;
  tta: TtaMode;
}): Promise<DriftBaseline> {
  await ensureBackend("auto");
  const meta = await readModelMetadata(options.modelDir);
  const present = meta.classes.filter((name) => existsSync(path.join(options.dataDir, name)));
  const listed = (await listImageFolder(options.dataDir, present)).map((entry) => ({
    ...entry,
    label: meta.classes.indexOf(entry.className),
  }));
  const entries = selectSplit(listed, [meta], "monitor");
  const images = await loadImages(
    entries.map((entry) => entry.path),
    modelInputSpec(meta),
  );
  const classifier = await loadServingModel(options.modelDir);
  const scores: ScoredImage[] = [];
  try {
    for (let start = 0; start < images.length; start += SCORE_BATCH)
      scores.push(...(await classifier.score(images.slice(start, start + SCORE_BATCH), options.tta)));
  } finally {
    classifier.dispose();
  }
  return driftBaseline(scores, meta.classes, meta.malignantClasses, options.tta);
}
