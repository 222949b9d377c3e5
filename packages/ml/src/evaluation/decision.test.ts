import { describe, expect, it } from "vitest";
import { bootstrap, wilson } from "./confidence-intervals.js";
import { labSpecimens, SPECIMEN_SIZE } from "./lab-specimens.js";
import { figuresAt, thresholdForTarget } from "./threshold-for-target.js";

describe("thresholdForTarget", () => {
  // 100 malignant scores 0.01…1.00 and 20 benign scores 0.005…0.1 and one benign at 0.97.
  const malignant = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);
  const benign = [...Array.from({ length: 20 }, (_, i) => (i + 1) / 200), 0.975];
  const scores = [...malignant, ...benign];
  const positive = scores.map((_, i) => i < malignant.length);

  it("keeps the highest threshold that still meets a sensitivity target, midway to the next lower score", () => {
    const choice = thresholdForTarget(scores, positive, "sensitivity", 0.9);
    expect(choice.sensitivity).toBeGreaterThanOrEqual(0.9);
    expect(choice.truePositives).toBe(90);
    expect(choice.threshold).toBeCloseTo(0.105, 12);
    expect(figuresAt(scores, positive, 0.111).sensitivity).toBeLessThan(0.9);
  });

  it("keeps the lowest threshold that still meets a specificity target", () => {
    const choice = thresholdForTarget(scores, positive, "specificity", 20 / 21);
    expect(choice.trueNegatives).toBe(20);
    expect(choice.threshold).toBeCloseTo(0.105, 12);
    expect(thresholdForTarget(scores, positive, "specificity", 1).threshold).toBeCloseTo(0.9775, 12);
  });

  it("calls a score equal to the threshold positive", () => {
    expect(figuresAt([0.3, 0.3], [true, false], 0.3)).toMatchObject({ truePositives: 1, trueNegatives: 0 });
  });
});

describe("labSpecimens", () => {
  it("cuts each class into runs of consecutive file numbers of 6 to 12 images", () => {
    const images = [
      ...Array.from({ length: 86 }, (_, i) => ({ label: 0, fileNumber: 428 - i })),
      ...Array.from({ length: 31 }, (_, i) => ({ label: 2, fileNumber: 656 + i })),
      ...Array.from({ length: 4 }, (_, i) => ({ label: 3, fileNumber: 10 + i })),
    ];
    const specimens = labSpecimens(images);
    expect(specimens.flat().sort((a, b) => a - b)).toEqual(images.map((_, i) => i));
    for (const specimen of specimens) {
      expect(new Set(specimen.map((i) => images[i]!.label)).size).toBe(1);
      const numbers = specimen.map((i) => images[i]!.fileNumber);
      expect(numbers).toEqual(numbers.map((_, k) => numbers[0]! + k));
      if (images[specimen[0]!]!.label !== 3) {
        expect(specimen.length).toBeGreaterThanOrEqual(SPECIMEN_SIZE[0]);
        expect(specimen.length).toBeLessThanOrEqual(SPECIMEN_SIZE[1]);
      }
    }
    expect(specimens.filter((s) => images[s[0]!]!.label === 3)).toEqual([[117, 118, 119, 120]]);
    expect(labSpecimens(images)).toEqual(specimens);
  });
});

describe("confidence intervals", () => {
  it("Wilson gives the textbook interval for 5 of 10 and 0 of 10", () => {
    const half = wilson(5, 10);
    expect(half.value).toBe(0.5);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
  });

  it("the bootstrap interval contains the statistic on all items and repeats", () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10 + i / 20);
    const mean = (indices: readonly number[]): number =>
      indices.reduce((sum, i) => sum + values[i]!, 0) / indices.length;
    const estimate = bootstrap(values.length, mean);
    expect(estimate.low).toBeLessThanOrEqual(estimate.value);
    expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
    expect(estimate.high - estimate.low).toBeGreaterThan(0);
    expect(bootstrap(values.length, mean)).toEqual(estimate);
  });
});
