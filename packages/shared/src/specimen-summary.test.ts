import { describe, expect, it } from "vitest";
import {
  calledClass,
  isMalignantCall,
  malignantProbability,
  malignantThresholds,
  OperatingPoint,
} from "./malignant-call.js";
import { SUBTYPE_LABELS } from "./labels.js";
import { summarizeSpecimen } from "./specimen-summary.js";

const image = (label: string, malignantProbability: number) => ({ label, confidence: 0.9, malignantProbability });
const thresholds = { image: 0.3, specimen: 0.4 };

describe("the per-image malignant call", () => {
  it("sums the malignant classes and calls malignant from the threshold itself upwards", () => {
    const p = malignantProbability([0.7, 0.1, 0.15, 0.05], SUBTYPE_LABELS);
    expect(p).toBeCloseTo(0.3, 12);
    expect(isMalignantCall(0.3, 0.3)).toBe(true);
    expect(isMalignantCall(0.3 - 1e-9, 0.3)).toBe(false);
  });

  it("shows the most probable malignant class when called malignant, even where benign is the most probable class", () => {
    const row = [0.5, 0.125, 0.25, 0.125];
    expect(SUBTYPE_LABELS[calledClass(row, SUBTYPE_LABELS, 0.5)]).toBe("pre_b");
    expect(SUBTYPE_LABELS[calledClass(row, SUBTYPE_LABELS, 0.5 + 1e-9)]).toBe("benign");
  });

  it("falls back to 0.5 / 0.5 for a version without an operating point and refuses a malformed one", () => {
    expect(malignantThresholds(null)).toEqual({ image: 0.5, specimen: 0.5 });
    expect(() => malignantThresholds({ malignantThreshold: 2 })).toThrow();
    expect(OperatingPoint.safeParse({}).success).toBe(false);
  });
});

describe("summarizeSpecimen", () => {
  it("calls ALL suspected when the mean P(malignant) reaches the specimen threshold, with the dominant subtype", () => {
    const summary = summarizeSpecimen(
      [image("pro_b", 0.75), image("pro_b", 0.75), image("pre_b", 0.5), image("benign", 0)],
      1,
      thresholds,
    );
    expect(summary).toMatchObject({
      imageCount: 5,
      classifiedCount: 4,
      failedCount: 1,
      countsByLabel: { pro_b: 2, pre_b: 1, benign: 1 },
      malignantFraction: 0.75,
      meanMalignantProbability: 0.5,
      thresholds,
      call: "all_suspected",
      dominantSubtype: "pro_b",
    });
  });

  it("calls at the specimen threshold itself and benign just below it; indeterminate with nothing classified", () => {
    expect(summarizeSpecimen([image("pre_b", 0.5), image("benign", 0.3)], 0, thresholds).call).toBe("all_suspected");
    expect(summarizeSpecimen([image("pre_b", 0.5), image("benign", 0.3 - 1e-6)], 0, thresholds)).toMatchObject({
      call: "benign",
      dominantSubtype: null,
    });
    expect(summarizeSpecimen([], 3, thresholds).call).toBe("indeterminate");
  });
});

describe("the review flags of a summary", () => {
  const flagged = (flags: string[]) => ({ ...image("benign", 0.1), flags });

  it("counts classified images per flag and gives the reasons most frequent first, ties by name", () => {
    const summary = summarizeSpecimen(
      [
        flagged(["out_of_distribution", "low_confidence"]),
        flagged(["low_confidence"]),
        flagged(["ensemble_disagreement"]),
        flagged([]),
      ],
      0,
      thresholds,
    );
    expect(summary.flaggedImages).toEqual({ low_confidence: 2, out_of_distribution: 1, ensemble_disagreement: 1 });
    expect(summary.reviewReasons).toEqual(["low_confidence", "ensemble_disagreement", "out_of_distribution"]);
  });

  it("gives no reason when no image is flagged", () => {
    const summary = summarizeSpecimen([image("benign", 0.1), flagged([])], 0, thresholds);
    expect(summary).toMatchObject({ flaggedImages: {}, reviewReasons: [] });
  });
});
