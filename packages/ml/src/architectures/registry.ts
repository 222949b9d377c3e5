import type * as tf from "@tensorflow/tfjs";
import { buildLeukoCnn } from "./leuko-cnn.js";
import { buildMobileNetV2 } from "./mobilenet-v2.js";
import { buildResNet50 } from "./resnet50.js";

export interface ArchitectureOptions {
  inputSize: number;
  numClasses: number;
  seed?: number;
  /** Stage widths of leuko-cnn; other architectures have their published widths. */
  stageFilters?: readonly number[];
}

type Builder = (options: ArchitectureOptions) => tf.LayersModel;

/** Every architecture `leukoflow train --architecture` accepts, by name. */
export const ARCHITECTURES: Record<string, Builder> = {
  "leuko-cnn": (options) => buildLeukoCnn({ ...options, seed: options.seed ?? 1 }),
  resnet50: buildResNet50,
  "mobilenet-v2": buildMobileNetV2,
};

export function buildArchitecture(name: string, options: ArchitectureOptions): tf.LayersModel {
  const build = ARCHITECTURES[name];
  if (!build) throw new Error(`unknown architecture "${name}"; one of: ${Object.keys(ARCHITECTURES).join(", ")}`);
  return build(options);
}
