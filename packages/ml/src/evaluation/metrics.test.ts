import { describe, expect, it } from "vitest";
import { computeMetrics } from "./metrics.js";

describe("computeMetrics", () => {
  it("derives accuracy, balanced accuracy, malignant sensitivity/specificity and the confusion matrix", () => {
    const classes = ["benign", "early_pre_b", "pre_b", "pro_b"];
    const labels = [0, 0, 0, 0, 1, 1, 2, 3];
    const predicted = [0, 0, 0, 1, 1, 2, 2, 0];
    const metrics = computeMetrics(labels, predicted, classes, classes.slice(1));
    expect(metrics.accuracy).toBe(5 / 8);
    expect(metrics.balancedAccuracy).toBeCloseTo((3 / 4 + 1 / 2 + 1 + 0) / 4);
    expect(metrics.malignant).toEqual({ sensitivity: 3 / 4, specificity: 3 / 4 });
    expect(metrics.confusion[0]).toEqual([3, 1, 0, 0]);
    expect(metrics.perClass.pro_b).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});
