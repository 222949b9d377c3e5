import { existsSync } from "node:fs";
import path from "node:path";
import { ensureBackend, selectBackend, type BackendPreference } from "../backend.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import type { ImageShift } from "../data/shift-suite.js";
import { loadServingModel } from "../serving/load-serving-model.js";
import type { ServingClassifier } from "../serving/serving-classifier.js";
import type { TtaMode } from "../serving/test-time-augmentation.js";
import { modelInputSpec } from "../model/model-metadata.js";
import { resolveMembers } from "../model/ensemble.js";
import { servedThresholds } from "./operating-point-file.js";
import { evaluateProbabilities, type Evaluation, type EvaluationCurves } from "./evaluation.js";
import { selectSplit, type SplitSelection } from "../data/select-split.js";
import { softVote } from "./soft-voting.js";
import { sameMalignantClasses, type MalignantThresholds } from "@leukoflow/contracts";

export interface EvaluateFolderOptions {
  /** Model folders (several = equal-weight soft voting) or one ensemble folder. */
  modelDirs: string[];
  /** A folder of class subfolders named like the model's classes. */
  dataDir: string;
  split?: SplitSelection;
  /** Applied to every image file before decoding (see SHIFT_SUITE). */
  shift?: ImageShift;
  /** Test-time augmentation as the inference worker's TTA setting applies it; default none (the model alone, as its training report scores it). */
  tta?: TtaMode;
  backend?: BackendPreference;
  log?: (line: string) => void;
}

export interface FolderEvaluation {
  evaluation: Evaluation;
  tta: TtaMode;
  curves: EvaluationCurves;
  members: { name: string; weight: number; temperature: number }[];
  /** Where the malignant calls sit: the model's or ensemble's operating point, else the defaults. */
  thresholds: MalignantThresholds;
  malignantClasses: string[];
  /** Soft-voted, temperature-scaled probabilities per image, with the image's label, file and file number. */
  probabilities: Float32Array[];
  labels: number[];
  files: string[];
  fileNumbers: number[];
}

const SCORE_BATCH = 64;

/** Temperature-scaled probabilities exactly as the inference worker computes them. */
async function servedProbabilities(
  classifier: ServingClassifier,
  images: readonly Uint8Array[],
  tta: TtaMode,
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let start = 0; start < images.length; start += SCORE_BATCH) {
    for (const score of await classifier.score(images.slice(start, start + SCORE_BATCH), tta))
      rows.push(score.probabilities);
  }
  return rows;
}

/**
 * Runs a model, several, or an ensemble over a labelled image folder through the serving path
 * (loadServingModel: the selected engine, temperature, TTA) and computes every report metric.
 */
export async function evaluateFolder(options: EvaluateFolderOptions): Promise<FolderEvaluation> {
  const tta = options.tta ?? "none";
  if (options.backend !== undefined) await selectBackend(options.backend, options.log);
  else await ensureBackend("auto", options.log);
  const members = await resolveMembers(options.modelDirs);
  const { classes, malignantClasses } = members[0]!.meta;
  for (const member of members) {
    if (member.meta.classes.join() !== classes.join())
      throw new Error(`${member.meta.name} has classes ${member.meta.classes.join(",")}, not ${classes.join(",")}`);
    if (!sameMalignantClasses(member.meta.malignantClasses, malignantClasses))
      throw new Error(
        `${member.meta.name} calls ${member.meta.malignantClasses.join(",")} malignant, not ${malignantClasses.join(",")}`,
      );
  }
  const present = classes.filter((name) => existsSync(path.join(options.dataDir, name)));
  if (present.length === 0) throw new Error(`${options.dataDir} has none of the class folders ${classes.join(", ")}`);
  const listed = (await listImageFolder(options.dataDir, present)).map((entry) => ({
    ...entry,
    label: classes.indexOf(entry.className),
  }));
  const entries = selectSplit(
    listed,
    members.map((m) => m.meta),
    options.split ?? "all",
  );
  // Members taking the same input share one decoding of the images.
  const imagesByInput = new Map<string, Promise<Uint8Array[]>>();
  const memberRows: Float32Array[][] = [];
  for (const member of members) {
    const input = modelInputSpec(member.meta);
    const key = `${input.inputSize}-${input.stainNormalization}`;
    if (!imagesByInput.has(key))
      imagesByInput.set(
        key,
        loadImages(
          entries.map((e) => e.path),
          input,
          options.shift,
        ),
      );
    const classifier = await loadServingModel(member.dir);
    try {
      memberRows.push(await servedProbabilities(classifier, await imagesByInput.get(key)!, tta));
    } finally {
      classifier.dispose();
    }
  }
  const probabilities = softVote(
    memberRows,
    members.map((m) => m.weight),
  );
  const labels = entries.map((e) => e.label);
  const thresholds = await servedThresholds(options.modelDirs);
  return {
    ...evaluateProbabilities(probabilities, labels, classes, malignantClasses, thresholds.image),
    tta,
    thresholds,
    malignantClasses,
    members: members.map((m) => ({
      name: m.meta.name,
      weight: m.weight,
      temperature: typeof m.meta.temperature === "number" ? m.meta.temperature : 1,
    })),
    probabilities,
    labels,
    files: entries.map((e) => e.path),
    fileNumbers: entries.map((e) => e.fileNumber),
  };
}
