import type { ClassificationMetrics, ClassMetrics } from "@leukoflow/contracts";

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Metrics of predicted labels against true labels (indices into `classes`). */
export function computeMetrics(
  labels: readonly number[],
  predicted: readonly number[],
  classes: readonly string[],
  malignantClasses: readonly string[],
): ClassificationMetrics {
  const confusion = classes.map(() => classes.map(() => 0));
  labels.forEach((label, i) => confusion[label]![predicted[i]!]!++);
  const perClass: Record<string, ClassMetrics> = {};
  classes.forEach((name, c) => {
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[c]!, 0);
    const correct = confusion[c]![c]!;
    const precision = ratio(correct, predictedCount);
    const recall = ratio(correct, support);
    perClass[name] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const present = classes.filter((name) => perClass[name]!.support > 0);
  const isMalignant = classes.map((name) => malignantClasses.includes(name));
  let truePositive = 0,
    positives = 0,
    trueNegative = 0,
    negatives = 0;
  labels.forEach((label, i) => {
    const predictedMalignant = isMalignant[predicted[i]!]!;
    if (isMalignant[label]) {
      positives++;
      if (predictedMalignant) truePositive++;
    } else {
      negatives++;
      if (!predictedMalignant) trueNegative++;
    }
  });
  return {
    images: labels.length,
    accuracy: ratio(labels.filter((label, i) => label === predicted[i]).length, labels.length),
    balancedAccuracy: ratio(
      present.reduce((sum, name) => sum + perClass[name]!.recall, 0),
      present.length,
    ),
    perClass,
    malignant: { sensitivity: ratio(truePositive, positives), specificity: ratio(trueNegative, negatives) },
    confusion,
  };
}
