import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ShadowPair, SpecimenCoverage } from "./repositories/shadow-prediction-repository.js";
import { shadowComparisonFigures } from "./shadow-comparison.js";
import { inShadowSample } from "./shadow-sample.js";

const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const MALIGNANT = ["early_pre_b", "pre_b", "pro_b"];
const operatingPoint = (image: number, specimen: number) => ({
  malignantThreshold: image,
  target: { metric: "sensitivity", value: 0.99 },
  tta: "flips",
  fittedOn: { split: "monitor", images: 1, sensitivity: 1, specificity: 1, malignant: 1, benign: 1 },
  specimen: {
    rule: "mean_malignant_probability",
    threshold: specimen,
    targetSensitivity: 1,
    fittedOn: {
      split: "monitor",
      specimens: 1,
      imagesPerSpecimen: [6, 12],
      sensitivity: 1,
      specificity: 1,
      malignant: 1,
      benign: 1,
    },
  },
});

function pair(
  specimenId: string,
  active: [string, number],
  candidate: [string, number],
  reviewed?: string,
): ShadowPair {
  return {
    imageId: randomUUID(),
    specimenId,
    accession: `ACC-${specimenId.slice(0, 4)}`,
    lab: "lab",
    originalName: null,
    active: { label: active[0], confidence: 0.9, malignantProbability: active[1], flags: [], oodScore: null },
    candidate: { label: candidate[0], confidence: 0.8, malignantProbability: candidate[1] },
    reviewedLabel: reviewed ?? null,
  };
}

describe("shadow sampling", () => {
  it("decides per specimen, the same every time, at about the share asked for", () => {
    const ids = Array.from({ length: 4000 }, () => randomUUID());
    const sampled = ids.filter((id) => inShadowSample(id, 0.2));
    expect(sampled.length / ids.length).toBeGreaterThan(0.17);
    expect(sampled.length / ids.length).toBeLessThan(0.23);
    expect(ids.filter((id) => inShadowSample(id, 0.2))).toEqual(sampled);
    // A larger sample keeps every specimen a smaller one had.
    expect(sampled.every((id) => inShadowSample(id, 0.5))).toBe(true);
    expect(ids.every((id) => inShadowSample(id, 1))).toBe(true);
  });
});

describe("shadowComparisonFigures", () => {
  it("counts agreement, the confusion, malignant calls, specimen calls and disagreements from the pairs", () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const pairs = [
      pair(a, ["benign", 0.1], ["benign", 0.1]),
      pair(a, ["benign", 0.2], ["pre_b", 0.3], "benign"),
      pair(b, ["pro_b", 0.9], ["pro_b", 0.95]),
      pair(b, ["pre_b", 0.8], ["pro_b", 0.85], "pro_b"),
      pair(c, ["benign", 0.1], ["benign", 0.05]),
    ];
    const specimens: SpecimenCoverage[] = [
      { specimenId: a, completed: true, classified: 2, failed: 0, paired: 2 },
      { specimenId: b, completed: true, classified: 2, failed: 1, paired: 2 },
      // c: one of its two classified images has no shadow score: not called by both.
      { specimenId: c, completed: true, classified: 2, failed: 0, paired: 1 },
    ];
    const figures = shadowComparisonFigures({
      active: { name: "active", version: "1", classes: CLASSES, malignantClasses: MALIGNANT, operatingPoint: null },
      // The candidate calls an image malignant from 0.25 and a specimen from a mean of 0.15.
      candidate: {
        name: "cand",
        version: "2",
        malignantClasses: MALIGNANT,
        operatingPoint: operatingPoint(0.25, 0.15),
      },
      since: null,
      pairs,
      specimens,
      specimenPairs: pairs.filter((p) => p.specimenId !== c),
    });
    expect(figures).toMatchObject({
      candidate: "cand@2",
      active: "active@1",
      thresholds: { active: { image: 0.5, specimen: 0.5 }, candidate: { image: 0.25, specimen: 0.15 } },
      images: 5,
      agreement: { label: 3 / 5, malignantCall: 4 / 5 },
      classes: CLASSES,
      malignantCalls: { bothMalignant: 2, bothBenign: 2, activeOnly: 0, candidateOnly: 1 },
      specimens: { compared: 2, partlyScored: 1, callChanged: 1 },
      reviewedDisagreements: { images: 2, activeRight: 1, candidateRight: 1, neither: 0 },
    });
    expect(figures.confusion).toEqual([
      [2, 0, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ]);
    // Specimen a: mean P(malignant) 0.15 is benign for the active version (0.5), all_suspected for the candidate (0.15).
    expect(figures.specimens.changes).toEqual([
      {
        specimenId: a,
        accession: pairs[0]!.accession,
        lab: "lab",
        active: { call: "benign", meanMalignantProbability: expect.closeTo(0.15, 12) },
        candidate: { call: "all_suspected", meanMalignantProbability: expect.closeTo(0.2, 12) },
      },
    ]);
    // The malignant-call change first.
    expect(figures.disagreements.map((d) => [d.imageId, d.malignantCallChanges])).toEqual([
      [pairs[1]!.imageId, true],
      [pairs[3]!.imageId, false],
    ]);
  });

  it("has no agreement figures without images", () => {
    const figures = shadowComparisonFigures({
      active: { name: "active", version: "1", classes: CLASSES, malignantClasses: MALIGNANT, operatingPoint: null },
      candidate: { name: "cand", version: "2", malignantClasses: MALIGNANT, operatingPoint: null },
      since: new Date("2026-12-01T00:00:00Z"),
      pairs: [],
      specimens: [],
      specimenPairs: [],
    });
    expect(figures).toMatchObject({
      images: 0,
      agreement: { label: null, malignantCall: null },
      since: "2026-12-01T00:00:00.000Z",
    });
  });
});
