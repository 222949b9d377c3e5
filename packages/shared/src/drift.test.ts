import { describe, expect, it } from "vitest";
import { binIndex, driftBaseline, MALIGNANT_PROBABILITY_EDGES, populationStabilityIndex } from "./drift.js";

const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const MALIGNANT = CLASSES.slice(1);

describe("drift", () => {
  it("bins a value by the edges at or below it, as width_bucket does", () => {
    expect([0, 0.05, 0.2, 0.95, 1].map((v) => binIndex(v, MALIGNANT_PROBABILITY_EDGES))).toEqual([0, 1, 1, 4, 4]);
  });

  it("PSI is 0 for the expected mix, small for a nearby one and large when everything lands in one bin", () => {
    const expected = [0.2, 0.2, 0.2, 0.2, 0.2];
    expect(populationStabilityIndex([10, 10, 10, 10, 10], expected)).toBeCloseTo(0, 10);
    expect(populationStabilityIndex([9, 11, 10, 12, 8], expected)).toBeLessThan(0.05);
    expect(populationStabilityIndex([0, 0, 0, 0, 30], expected)).toBeGreaterThan(5);
  });

  it("a baseline has quintile OOD-score bins holding a fifth each, the OOD rate, confidence, class mix and P(malignant) bins", () => {
    const scores = Array.from({ length: 100 }, (_, i) => ({
      probabilities: i < 25 ? [0.9, 0.05, 0.03, 0.02] : [0.02, 0.08, 0.8, 0.1],
      oodScore: i / 10 - 9.5,
    }));
    const baseline = driftBaseline(scores, CLASSES, MALIGNANT, "flips");
    expect(baseline.oodScore!.shares).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(baseline.oodRate).toBeCloseTo(0.04, 10);
    expect(baseline.classMix).toEqual({ benign: 0.25, early_pre_b: 0, pre_b: 0.75, pro_b: 0 });
    expect(baseline.meanConfidence).toBeCloseTo(0.25 * 0.9 + 0.75 * 0.8, 10);
    expect(baseline.malignantProbability).toEqual([0, 0.25, 0, 0, 0.75]);
  });
});
