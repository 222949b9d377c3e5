import { describe, expect, it } from "vitest";
import { expectedCalibrationError, reliabilityBins } from "./calibration.js";
import { evaluateProbabilities } from "./evaluation.js";
import { rocCurve, sensitivityAtSpecificity } from "./roc.js";
import { applyTemperature, fitTemperature } from "../training/temperature-scaling.js";

describe("calibration metrics", () => {
  it("ECE is the weighted gap between confidence and accuracy per bin", () => {
    // Two images at confidence 0.9 (one right), two at 0.6 (both right).
    const probabilities = [
      [0.9, 0.1],
      [0.9, 0.1],
      [0.6, 0.4],
      [0.4, 0.6],
    ];
    const bins = reliabilityBins(probabilities, [0, 1, 0, 1], 10);
    expect(bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(bins[9]!.confidence).toBeCloseTo(0.9);
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.5 * 0.4 + 0.5 * 0.4);
  });

  it("temperature scaling softens an over-confident model and keeps its decisions", () => {
    // Always 99 % sure, right 3 times in 4: the NLL-optimal softmax puts ~0.75 on its choice.
    const probabilities = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? [0.01, 0.99] : [0.99, 0.01]));
    const labels = Array.from({ length: 400 }, (_, i) => (i % 8 === 0 ? 1 : 0));
    const temperature = fitTemperature(probabilities, labels);
    expect(temperature).toBeGreaterThan(1);
    const scaled = applyTemperature([0.99, 0.01], temperature);
    expect(scaled[0]).toBeGreaterThan(0.5);
    expect(scaled[0]).toBeLessThan(0.9);
    expect(applyTemperature([0.7, 0.2, 0.1], 1)[0]).toBeCloseTo(0.7, 6);
  });

  it("ROC AUC is 1 for a perfect ranking, 0.5 for ties, and the 95 %-specificity operating point is read off the curve", () => {
    expect(rocCurve([0.9, 0.8, 0.2, 0.1], [true, true, false, false]).auc).toBe(1);
    expect(rocCurve([0.5, 0.5, 0.5, 0.5], [true, false, true, false]).auc).toBe(0.5);
    const curve = rocCurve([0.9, 0.7, 0.6, 0.3, 0.2], [true, false, true, true, false]);
    expect(curve.auc).toBeCloseTo(4 / 6);
    expect(sensitivityAtSpecificity(curve, 0.95)).toBeCloseTo(1 / 3);
  });

  it("evaluateProbabilities reports weighted F1 and malignant AUC", () => {
    const classes = ["benign", "early_pre_b", "pre_b", "pro_b"];
    const probabilities = [
      [0.7, 0.1, 0.1, 0.1],
      [0.2, 0.6, 0.1, 0.1],
      [0.1, 0.1, 0.7, 0.1],
      [0.6, 0.1, 0.1, 0.2],
    ];
    const { evaluation } = evaluateProbabilities(probabilities, [0, 1, 2, 3], classes, classes.slice(1));
    expect(evaluation.accuracy).toBe(0.75);
    expect(evaluation.weightedF1).toBeCloseTo((2 / 3 + 1 + 1 + 0) / 4);
    expect(evaluation.malignant.sensitivity).toBeCloseTo(2 / 3);
    expect(evaluation.malignant.auc).toBeCloseTo(1);
  });
});
