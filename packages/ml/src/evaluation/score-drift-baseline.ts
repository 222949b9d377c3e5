import { existsSync } from "node:fs";
import path from "node:path";
import { driftBaseline, type DriftBaseline, type ScoredImage } from "@leukoflow/shared";
import { ensureBackend } from "../backend.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import { modelInputSpec } from "../model/model-metadata.js";
import { resolveMembers } from "../model/ensemble.js";
import { selectSplit } from "../data/select-split.js";
import { loadEnsemble } from "../serving/load-ensemble.js";
import type { TtaMode } from "../serving/test-time-augmentation.js";

const SCORE_BATCH = 64;

/**
 * `leukoflow models baseline`: scores a model's monitor blocks of `dataDir` as the inference worker
 * does (same engine, temperature, TTA, OOD score) and summarises them as the drift baseline. An
 * ensemble folder is scored as the worker serves it: its members (sibling folders) soft-voting
 * with their weights, the OOD score the largest of theirs, on the monitor blocks of every member.
 */
export async function scoreDriftBaseline(options: {
  modelDir: string;
  dataDir: string;
  tta: TtaMode;
}): Promise<DriftBaseline> {
  await ensureBackend("auto");
  const members = await resolveMembers([options.modelDir]);
  const { meta } = members[0]!;
  const present = meta.classes.filter((name) => existsSync(path.join(options.dataDir, name)));
  const listed = (await listImageFolder(options.dataDir, present)).map((entry) => ({
    ...entry,
    label: meta.classes.indexOf(entry.className),
  }));
  const entries = selectSplit(
    listed,
    members.map((member) => member.meta),
    "monitor",
  );
  const images = await loadImages(
    entries.map((entry) => entry.path),
    modelInputSpec(meta),
  );
  const ensemble = await loadEnsemble([options.modelDir]);
  const scores: ScoredImage[] = [];
  try {
    for (let start = 0; start < images.length; start += SCORE_BATCH)
      scores.push(...(await ensemble.score(images.slice(start, start + SCORE_BATCH), options.tta)));
  } finally {
    ensemble.dispose();
  }
  return driftBaseline(scores, meta.classes, meta.malignantClasses, options.tta);
}
