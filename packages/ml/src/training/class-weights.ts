/** Inverse-frequency weights normalised so a balanced dataset gets 1 for every class. */
export function inverseFrequencyClassWeights(labels: readonly number[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label]!++;
  return counts.map((count) => (count === 0 ? 0 : labels.length / (numClasses * count)));
}
