import { sameModelInput, type ModelInputSpec } from "../data/decode-to-model-input.js";
import { modelInputSpec } from "../model/model-metadata.js";
import type { ImageScore, ServingClassifier } from "./serving-classifier.js";
import type { TtaMode } from "./test-time-augmentation.js";
import { sameMalignantClasses } from "@leukoflow/contracts";

export interface WeightedMember {
  classifier: ServingClassifier;
  /** Positive; weights are normalised to sum to 1. */
  weight: number;
}

export interface EnsembleScore {
  /** Weighted mean of the members' calibrated probabilities (soft voting). */
  probabilities: Float32Array;
  /** Each member's probabilities and OOD score, in member order. */
  members: ImageScore[];
  /**
   * The largest OOD score of the members that carry an OOD calibration (> 0: out of distribution),
   * so the ensemble flags an image when any calibrated member does; null when no member is calibrated.
   */
  oodScore: number | null;
}

export class EnsembleMismatchError extends Error {
  override readonly name = "EnsembleMismatchError";
}

/** N classifiers voting with weights; one classifier is an ensemble of one. */
export class Ensemble {
  readonly classes: readonly string[];
  /** What every member takes: the same input size and colour normalization. */
  readonly input: ModelInputSpec;
  private readonly weights: number[];

  constructor(readonly members: readonly WeightedMember[]) {
    const [first] = members;
    if (!first) throw new EnsembleMismatchError("an ensemble needs at least one member");
    if (members.some((member) => !(member.weight > 0)))
      throw new EnsembleMismatchError("member weights must be positive");
    for (const { classifier } of members) {
      const { meta } = classifier;
      if (
        meta.classes.join() !== first.classifier.meta.classes.join() ||
        !sameMalignantClasses(meta.malignantClasses, first.classifier.meta.malignantClasses) ||
        !sameModelInput(modelInputSpec(meta), modelInputSpec(first.classifier.meta))
      ) {
        throw new EnsembleMismatchError(
          `${meta.name} differs from ${first.classifier.meta.name} in classes, malignant classes, input size or stain normalization`,
        );
      }
    }
    this.classes = first.classifier.meta.classes;
    this.input = modelInputSpec(first.classifier.meta);
    const total = members.reduce((sum, member) => sum + member.weight, 0);
    this.weights = members.map((member) => member.weight / total);
  }

  async score(images: readonly Uint8Array[], tta: TtaMode): Promise<EnsembleScore[]> {
    const perMember: ImageScore[][] = [];
    // One member at a time: a device runs one forward pass at a time anyway, and peak memory stays one member's.
    for (const { classifier } of this.members) perMember.push(await classifier.score(images, tta));
    return images.map((_, i) => {
      const members = perMember.map((scores) => scores[i]!);
      const probabilities = new Float32Array(this.classes.length);
      members.forEach((member, m) =>
        member.probabilities.forEach((p, c) => (probabilities[c]! += this.weights[m]! * p)),
      );
      const oodScores = members.flatMap((member) => (member.oodScore === null ? [] : [member.oodScore]));
      const oodScore = oodScores.length === 0 ? null : Math.max(...oodScores);
      return { probabilities, members, oodScore };
    });
  }

  /** Weighted mean of the members' Grad-CAM maps for each image's class. */
  async gradCam(images: readonly Uint8Array[], classIndices: readonly number[]): Promise<Float32Array[]> {
    const maps = images.map(() => new Float32Array(this.input.inputSize * this.input.inputSize));
    for (const [m, { classifier }] of this.members.entries()) {
      const memberMaps = await classifier.gradCam(images, classIndices);
      memberMaps.forEach((map, i) => map.forEach((value, p) => (maps[i]![p]! += this.weights[m]! * value)));
    }
    return maps;
  }

  dispose(): void {
    for (const { classifier } of this.members) classifier.dispose();
  }
}
