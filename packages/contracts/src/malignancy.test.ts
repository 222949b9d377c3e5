import { describe, expect, it } from "vitest";
import {
  ALL_SUBTYPES,
  calledClass,
  DEFAULT_MALIGNANT_THRESHOLD,
  DEFAULT_SPECIMEN_THRESHOLD,
  isMalignantCall,
  isMalignantClass,
  malignantFraction,
  malignantProbability,
  malignantThresholds,
  sameMalignantClasses,
  specimenMalignantScore,
  SUBTYPE_LABELS,
} from "./malignancy.js";
import { OperatingPoint } from "./model-artifact.js";

const BINARY = ["benign", "malignant"];

describe("P(malignant)", () => {
  it("sums the model's malignant classes", () => {
    expect(malignantProbability([0.7, 0.1, 0.15, 0.05], SUBTYPE_LABELS, ALL_SUBTYPES)).toBeCloseTo(0.3, 12);
    expect(malignantProbability([0.7, 0.1, 0.15, 0.05], SUBTYPE_LABELS, ["pro_b"])).toBeCloseTo(0.05, 12);
  });

  it("reads a 2-class benign/malignant model by its own malignant class, which is no ALL subtype", () => {
    expect(malignantProbability([0.35, 0.65], BINARY, ["malignant"])).toBeCloseTo(0.65, 12);
    expect(malignantProbability([0.35, 0.65], BINARY, ALL_SUBTYPES)).toBe(0);
    expect(isMalignantClass("malignant", ["malignant"])).toBe(true);
    expect(isMalignantClass("pre_b", ["malignant"])).toBe(false);
  });

  it("never exceeds 1 when rounding makes the malignant classes sum past it", () => {
    expect(malignantProbability([0, 0.5, 0.3, 0.2000001], SUBTYPE_LABELS, ALL_SUBTYPES)).toBe(1);
  });
});

describe("the malignant fraction", () => {
  it("is the share of labels among the model's malignant classes, 0 with none", () => {
    expect(malignantFraction(["pre_b", "benign", "pro_b", "benign"], ALL_SUBTYPES)).toBe(0.5);
    expect(malignantFraction(["malignant", "benign", "benign"], ["malignant"])).toBeCloseTo(1 / 3, 12);
    expect(malignantFraction(["malignant"], ALL_SUBTYPES)).toBe(0);
    expect(malignantFraction([], ALL_SUBTYPES)).toBe(0);
  });
});

describe("malignant classes of an ensemble's members", () => {
  it("agree whatever their order, and not when one member has a class more or another one", () => {
    expect(sameMalignantClasses(["pro_b", "pre_b", "early_pre_b"], ALL_SUBTYPES)).toBe(true);
    expect(sameMalignantClasses(["pre_b", "pro_b"], ALL_SUBTYPES)).toBe(false);
    expect(sameMalignantClasses(["pre_b", "pro_b", "blast"], ALL_SUBTYPES)).toBe(false);
  });
});

describe("the per-image call", () => {
  it("is malignant from the threshold itself upwards and not just below it", () => {
    expect(isMalignantCall(0.3, 0.3)).toBe(true);
    expect(isMalignantCall(0.3 - 1e-9, 0.3)).toBe(false);
  });

  it("shows the most probable malignant class when called malignant, even where benign is the most probable class", () => {
    const row = [0.5, 0.125, 0.25, 0.125];
    expect(SUBTYPE_LABELS[calledClass(row, SUBTYPE_LABELS, 0.5, ALL_SUBTYPES)]).toBe("pre_b");
    expect(SUBTYPE_LABELS[calledClass(row, SUBTYPE_LABELS, 0.5 + 1e-9, ALL_SUBTYPES)]).toBe("benign");
  });

  it("calls a 2-class model's image by its malignant class at and below the threshold", () => {
    expect(BINARY[calledClass([0.6, 0.4], BINARY, 0.4, ["malignant"])]).toBe("malignant");
    expect(BINARY[calledClass([0.6, 0.4], BINARY, 0.4 + 1e-9, ["malignant"])]).toBe("benign");
  });
});

describe("the thresholds", () => {
  it("fall back to the defaults for a version without an operating point and refuse a malformed one", () => {
    expect(malignantThresholds(null)).toEqual({
      image: DEFAULT_MALIGNANT_THRESHOLD,
      specimen: DEFAULT_SPECIMEN_THRESHOLD,
    });
    expect(malignantThresholds(undefined)).toEqual({ image: 0.5, specimen: 0.5 });
    expect(() => malignantThresholds({ malignantThreshold: 2 })).toThrow();
    expect(OperatingPoint.safeParse({}).success).toBe(false);
  });
});

describe("the specimen score", () => {
  it("is the mean P(malignant) of the classified images, 0 with none", () => {
    expect(specimenMalignantScore([0.25, 0.75, 0.5])).toBeCloseTo(0.5, 12);
    expect(specimenMalignantScore([])).toBe(0);
  });
});
