import type { ReviewFlag } from "@leukoflow/contracts";
import type { EnsembleScore } from "@leukoflow/ml";

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export function winningClass(score: EnsembleScore): number {
  return argmax(score.probabilities);
}

/**
 * Why a technologist should look at an image: the vote is not confident, some member of the
 * ensemble voted for another class, or the image lies beyond the OOD threshold calibrated on
 * held-out images.
 */
export function imageFlags(score: EnsembleScore, minConfidence: number): ReviewFlag[] {
  const winner = winningClass(score);
  const flags: ReviewFlag[] = [];
  if (score.probabilities[winner]! < minConfidence) flags.push("low_confidence");
  if (score.members.some((member) => argmax(member.probabilities) !== winner)) flags.push("ensemble_disagreement");
  if (score.oodScore !== null && score.oodScore > 0) flags.push("out_of_distribution");
  return flags;
}
