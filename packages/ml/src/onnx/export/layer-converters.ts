import { ACTIVATION_CONVERTERS } from "./convert-activations.js";
import { CONVOLUTION_CONVERTERS } from "./convert-convolutions.js";
import { CORE_CONVERTERS } from "./convert-core-layers.js";
import { MERGE_CONVERTERS } from "./convert-merges.js";
import { NORMALIZATION_CONVERTERS } from "./convert-normalizations.js";
import { POOLING_CONVERTERS } from "./convert-pooling.js";
import type { LayerConverter } from "./layer-conversion.js";

/** Every tfjs layer class the exporter translates, by class name. */
export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  ...ACTIVATION_CONVERTERS,
  ...CONVOLUTION_CONVERTERS,
  ...CORE_CONVERTERS,
  ...MERGE_CONVERTERS,
  ...NORMALIZATION_CONVERTERS,
  ...POOLING_CONVERTERS,
};
