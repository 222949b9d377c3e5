import {
  ALL_SUBTYPES,
  calledClass,
  malignantProbability,
  SUBTYPE_LABELS,
  type MalignancyRule,
} from "@leukoflow/contracts";
import { describe, expect, it } from "vitest";
import { summarizeSpecimen } from "./specimen-summary.js";

const image = (label: string, malignantProbability: number) => ({ label, confidence: 0.9, malignantProbability });
const thresholds = { image: 0.3, specimen: 0.4 };
const rule: MalignancyRule = { malignantClasses: ALL_SUBTYPES, thresholds };

describe("summarizeSpecimen", () => {
  it("calls ALL suspected when the mean P(malignant) reaches the specimen threshold, with the dominant subtype", () => {
    const summary = summarizeSpecimen(
      [image("pro_b", 0.75), image("pro_b", 0.75), image("pre_b", 0.5), image("benign", 0)],
      1,
      rule,
    );
    expect(summary).toEqual({
      imageCount: 5,
      classifiedCount: 4,
      failedCount: 1,
      countsByLabel: { pro_b: 2, pre_b: 1, benign: 1 },
      malignantFraction: 0.75,
      meanMalignantProbability: 0.5,
      thresholds,
      malignantClasses: [...ALL_SUBTYPES],
      call: "all_suspected",
      dominantSubtype: "pro_b",
      flaggedImages: {},
      reviewReasons: [],
    });
  });

  it("calls at the specimen threshold itself and benign just below it; indeterminate with nothing classified", () => {
    expect(summarizeSpecimen([image("pre_b", 0.5), image("benign", 0.3)], 0, rule).call).toBe("all_suspected");
    expect(summarizeSpecimen([image("pre_b", 0.5), image("benign", 0.3 - 1e-6)], 0, rule)).toMatchObject({
      call: "benign",
      dominantSubtype: null,
    });
    expect(summarizeSpecimen([], 3, rule)).toMatchObject({
      call: "indeterminate",
      imageCount: 3,
      malignantFraction: 0,
      meanMalignantProbability: 0,
    });
  });

  it("counts an image the worker called at the image threshold itself as malignant, one just below it as not", () => {
    // As the inference worker labels an image: its called class and P(malignant) under the rule.
    const classified = (row: number[]) => {
      const called = calledClass(row, SUBTYPE_LABELS, thresholds.image, ALL_SUBTYPES);
      const p = malignantProbability(row, SUBTYPE_LABELS, ALL_SUBTYPES);
      return { label: SUBTYPE_LABELS[called]!, confidence: row[called]!, malignantProbability: p };
    };
    const atThreshold = classified([0.7, 0.1, 0.15, 0.05]);
    const justBelow = classified([0.7 + 1e-9, 0.1 - 1e-9, 0.15, 0.05]);
    expect(summarizeSpecimen([atThreshold], 0, rule)).toMatchObject({
      countsByLabel: { pre_b: 1 },
      malignantFraction: 1,
    });
    expect(summarizeSpecimen([justBelow], 0, rule)).toMatchObject({
      countsByLabel: { benign: 1 },
      malignantFraction: 0,
    });
  });

  it("calls by the specimen threshold alone: an image threshold between the two changes nothing", () => {
    // Mean P(malignant) 0.35: above the image threshold 0.3, below the specimen threshold 0.4.
    const specimen = [image("pre_b", 0.4), image("benign", 0.3)];
    expect(summarizeSpecimen(specimen, 0, rule).call).toBe("benign");
    expect(summarizeSpecimen(specimen, 0, { ...rule, thresholds: { image: 0.3, specimen: 0.35 } }).call).toBe(
      "all_suspected",
    );
  });

  it("counts the malignant fraction by the model's malignant classes, ties of subtypes by name", () => {
    const summary = summarizeSpecimen(
      [image("pre_b", 0.9), image("pro_b", 0.9), image("benign", 0.1), image("benign", 0.1)],
      0,
      { malignantClasses: ["pre_b", "pro_b"], thresholds },
    );
    expect(summary).toMatchObject({ malignantFraction: 0.5, call: "all_suspected", dominantSubtype: "pre_b" });
  });

  it("makes the right call for a 2-class benign/malignant model, whose malignant class is no ALL subtype", () => {
    const binary: MalignancyRule = { malignantClasses: ["malignant"], thresholds };
    const summary = summarizeSpecimen([image("malignant", 0.8), image("benign", 0.2)], 0, binary);
    expect(summary).toMatchObject({
      malignantFraction: 0.5,
      meanMalignantProbability: 0.5,
      call: "all_suspected",
      dominantSubtype: "malignant",
      malignantClasses: ["malignant"],
    });
    // The same images read with the 4-class rule would have no malignant image at all.
    expect(summarizeSpecimen([image("malignant", 0.8), image("benign", 0.2)], 0, rule).malignantFraction).toBe(0);
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
      rule,
    );
    expect(summary.flaggedImages).toEqual({ low_confidence: 2, out_of_distribution: 1, ensemble_disagreement: 1 });
    expect(summary.reviewReasons).toEqual(["low_confidence", "ensemble_disagreement", "out_of_distribution"]);
  });

  it("gives no reason when no image is flagged", () => {
    const summary = summarizeSpecimen([image("benign", 0.1), flagged([])], 0, rule);
    expect(summary).toMatchObject({ flaggedImages: {}, reviewReasons: [] });
  });
});
