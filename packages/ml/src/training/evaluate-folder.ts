import { existsSync } from "node:fs";
import path from "node:path";
import type { BackendPreference } from "../backend.js";
import { loadClassifier } from "../classifier.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import type { ImageShift } from "../data/shift-suite.js";
import { resolveMembers } from "./ensemble.js";
import { evaluateProbabilities, type Evaluation, type EvaluationCurves } from "./evaluation.js";
import { selectSplit, type SplitSelection } from "./select-split.js";
import { softVote } from "./soft-voting.js";
import { applyTemperature } from "./temperature-scaling.js";

export interface EvaluateFolderOptions {
  /** Model folders (several = equal-weight soft voting) or one ensemble folder. */
  modelDirs: string[];
  /** A folder of class subfolders named like the model's classes. */
  dataDir: string;
  split?: SplitSelection;
  /** Applied to every image file before decoding (see SHIFT_SUITE). */
  shift?: ImageShift;
  backend?: BackendPreference;
  log?: (line: string) => void;
}

export interface FolderEvaluation {
  evaluation: Evaluation;
  curves: EvaluationCurves;
  members: { name: string; weight: number; temperature: number }[];
  /** Soft-voted, temperature-scaled probabilities per image, with the image's label and file. */
  probabilities: Float32Array[];
  labels: number[];
  files: string[];
}

/** Runs a model, several, or an ensemble over a labelled image folder and computes every report metric. */
export async function evaluateFolder(options: EvaluateFolderOptions): Promise<FolderEvaluation> {
  const members = await resolveMembers(options.modelDirs);
  const { classes, malignantClasses } = members[0]!.meta;
  for (const member of members) {
    if (member.meta.classes.join() !== classes.join()) throw new Error(`${member.meta.name} has classes ${member.meta.classes.join(",")}, not ${classes.join(",")}`);
  }
  const present = classes.filter((name) => existsSync(path.join(options.dataDir, name)));
  if (present.length === 0) throw new Error(`${options.dataDir} has none of the class folders ${classes.join(", ")}`);
  const listed = (await listImageFolder(options.dataDir, present)).map((entry) => ({ ...entry, label: classes.indexOf(entry.className) }));
  const entries = selectSplit(listed, members.map((m) => m.meta), options.split ?? "all");
  const imagesBySize = new Map<number, Promise<Uint8Array[]>>();
  const memberRows: Float32Array[][] = [];
  for (const member of members) {
    const size = member.meta.inputSize;
    if (!imagesBySize.has(size)) imagesBySize.set(size, loadImages(entries.map((e) => e.path), size, options.shift));
    const classifier = await loadClassifier(member.dir, { backend: options.backend, log: options.log });
    try {
      const memberTemperature = typeof member.meta.temperature === "number" ? member.meta.temperature : 1;
      const rows = await classifier.predict(await imagesBySize.get(size)!);
      memberRows.push(rows.map((row) => applyTemperature(row, memberTemperature)));
    } finally {
      classifier.dispose();
    }
  }
  const probabilities = softVote(memberRows, members.map((m) => m.weight));
  const labels = entries.map((e) => e.label);
  return {
    ...evaluateProbabilities(probabilities, labels, classes, malignantClasses),
    members: members.map((m) => ({ name: m.meta.name, weight: m.weight, temperature: typeof m.meta.temperature === "number" ? m.meta.temperature : 1 })),
    probabilities,
    labels,
    files: entries.map((e) => e.path),
  };
}
