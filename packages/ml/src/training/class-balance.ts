import { shuffleInPlace } from "../data/shuffle.js";
import { inverseFrequencyClassWeights } from "./class-weights.js";

/**
 * How training counters the classes' unequal sizes: "loss" weighs each image's cross-entropy by
 * the inverse of its class's frequency (what every shipped model was trained with), "sampling"
 * draws batches in which each class is equally likely, "none" does neither.
 */
export const CLASS_BALANCES = ["none", "loss", "sampling"] as const;
export type ClassBalance = (typeof CLASS_BALANCES)[number];
export const DEFAULT_CLASS_BALANCE: ClassBalance = "loss";
export const CLASS_BALANCE_DESCRIPTIONS: Record<ClassBalance, string> = {
  none: "none (plain cross-entropy, every image once per epoch)",
  loss: "loss (cross-entropy weighted by inverse class frequency, every image once per epoch)",
  sampling: "sampling (every class equally likely in each draw, plain cross-entropy)",
};

/** Per-class cross-entropy weights; only "loss" departs from 1 (balanced batches need no reweighting). */
export function lossClassWeights(balance: ClassBalance, labels: readonly number[], numClasses: number): number[] {
  return balance === "loss" ? inverseFrequencyClassWeights(labels, numClasses) : new Array<number>(numClasses).fill(1);
}

/**
 * One epoch's image indices: every image once in shuffled order, or under "sampling" as many
 * draws, each picking a class uniformly and then the next image of that class's own shuffled
 * turn (reshuffled when used up), so the rare classes repeat and the common ones are subsampled.
 */
export function epochOrder(balance: ClassBalance, labels: readonly number[], random: () => number): number[] {
  if (balance !== "sampling") return shuffleInPlace([...labels.keys()], random);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  const turns = [...byClass.values()].map((indices) => ({ indices, next: indices.length }));
  return labels.map(() => {
    const turn = turns[Math.floor(random() * turns.length)]!;
    if (turn.next === turn.indices.length) {
      shuffleInPlace(turn.indices, random);
      turn.next = 0;
    }
    return turn.indices[turn.next++]!;
  });
}
