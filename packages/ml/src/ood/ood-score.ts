import { nearestClassDistance, type ClassGaussians } from "./class-gaussians.js";
import type { OodLayerCalibration } from "@leukoflow/contracts";

/**
 * How far an image lies from the training data, in monitor-image standard deviations: the largest
 * over layers of (nearest-class Mahalanobis distance − its monitor mean) / its monitor standard
 * deviation. The max lets one layer's anomaly (colour statistics early, semantics late) decide.
 */
export function standardisedDistance(
  gaussians: readonly ClassGaussians[],
  layers: readonly OodLayerCalibration[],
  features: readonly ArrayLike<number>[],
): number {
  return Math.max(
    ...layers.map(
      (layer, l) => (nearestClassDistance(gaussians[l]!, features[l]!) - layer.distanceMean) / layer.distanceStd,
    ),
  );
}
