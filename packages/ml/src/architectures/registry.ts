import type * as tf from "@tensorflow/tfjs";
import { buildEfficientNetB0, buildEfficientNetB3 } from "./efficientnet.js";
import { buildInceptionResNetV2 } from "./inception-resnet-v2.js";
import { buildInceptionV3 } from "./inception-v3.js";
import { buildLeukoCnn } from "./leuko-cnn.js";
import { buildMobileNetV2 } from "./mobilenet-v2.js";
import { buildResNet50 } from "./resnet50.js";
import { buildVgg16, buildVgg19 } from "./vgg.js";
import { buildXception } from "./xception.js";

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
  "efficientnet-b0": buildEfficientNetB0,
  "efficientnet-b3": buildEfficientNetB3,
  resnet50: buildResNet50,
  vgg16: buildVgg16,
  vgg19: buildVgg19,
  xception: buildXception,
  "inception-v3": buildInceptionV3,
  "inception-resnet-v2": buildInceptionResNetV2,
  "mobilenet-v2": buildMobileNetV2,
};

export function buildArchitecture(name: string, options: ArchitectureOptions): tf.LayersModel {
  const build = ARCHITECTURES[name];
  if (!build) throw new Error(`unknown architecture "${name}"; one of: ${Object.keys(ARCHITECTURES).join(", ")}`);
  return build(options);
}
