import { LOW_CONFIDENCE_THRESHOLD } from "@leukoflow/contracts";
import { describe, expect, it } from "vitest";
import type { Review, SpecimenReport, SpecimenSummary } from "../ui/api/types.js";
import { reportCsv } from "../ui/report/csv.js";
import { imageFlags, listFlags, reportFlags, reviewedMalignantFraction } from "../ui/report/flags.js";
import { classPresentation } from "../ui/report/labels.js";

const report: SpecimenReport = {
  id: "s1",
  accession: "ACC-1",
  patientRef: null,
  status: "COMPLETED",
  createdAt: "2026-11-23T10:00:00.000Z",
  updatedAt: "2026-11-23T10:01:00.000Z",
  completedAt: "2026-11-23T10:01:00.000Z",
  summary: {
    imageCount: 2,
    classifiedCount: 2,
    failedCount: 0,
    countsByLabel: { benign: 1, pro_b: 1 },
    // As summarizeSpecimen makes it from the two images below: one of them at or above the image
    // threshold, their mean P(malignant) (0.69) above the specimen threshold.
    malignantFraction: 0.5,
    meanMalignantProbability: 0.69,
    thresholds: { image: 0.5, specimen: 0.6 },
    malignantClasses: ["pro_b"],
    dominantSubtype: "pro_b",
    call: "all_suspected",
    flaggedImages: { out_of_distribution: 1 },
    reviewReasons: ["out_of_distribution"],
  },
  images: [
    {
      id: "i1",
      originalName: '=cmd|calc, "a".jpg',
      sha256: "ab",
      status: "CLASSIFIED",
      failureReason: null,
      width: 257,
      height: 257,
      format: "jpeg",
      prediction: {
        label: "benign",
        confidence: 0.52,
        malignantProbability: 0.48,
        malignantThreshold: 0.5,
        malignantClasses: ["pro_b"],
        probabilities: { benign: 0.52, pro_b: 0.48 },
        model: "m@1",
        timings: {},
        gradcamUrl: null,
        gradcamKey: null,
        flags: [],
        oodScore: null,
      },
      review: {
        id: "r1",
        imageId: "i1",
        decision: "OVERRIDDEN",
        predictedLabel: "benign",
        label: "pro_b",
        reason: "blast, large",
        reviewer: "tech",
        createdAt: "2026-11-23T10:02:00.000Z",
      },
    },
    {
      id: "i2",
      originalName: "b.jpg",
      sha256: "cd",
      status: "CLASSIFIED",
      failureReason: null,
      width: 257,
      height: 257,
      format: "jpeg",
      prediction: {
        label: "pro_b",
        confidence: 0.9,
        malignantProbability: 0.9,
        malignantThreshold: 0.5,
        malignantClasses: ["pro_b"],
        probabilities: { benign: 0.1, pro_b: 0.9 },
        model: "m@1",
        timings: {},
        gradcamUrl: null,
        gradcamKey: null,
        flags: ["out_of_distribution"],
        oodScore: 4.2,
      },
      review: null,
    },
  ],
};

/** Every image failed: nothing to call. */
const indeterminate: SpecimenSummary = {
  imageCount: 2,
  classifiedCount: 0,
  failedCount: 2,
  countsByLabel: {},
  malignantFraction: 0,
  meanMalignantProbability: 0,
  thresholds: { image: 0.5, specimen: 0.6 },
  dominantSubtype: null,
  call: "indeterminate",
  flaggedImages: {},
  reviewReasons: [],
};

describe("reportCsv", () => {
  it("writes a row per image with probabilities and review, quoting and defusing formulas", () => {
    const lines = reportCsv(report).split("\r\n");
    expect(lines[0]).toBe(
      "accession,image_id,file_name,sha256,status,failure_reason,predicted_label,confidence,p_malignant,malignant_threshold,p_benign,p_pro_b,model,review_decision,reviewed_label,review_reason,reviewer,reviewed_at",
    );
    expect(lines[1]).toBe(
      `ACC-1,i1,"'=cmd|calc, ""a"".jpg",ab,CLASSIFIED,,benign,0.52,0.48,0.5,0.52,0.48,m@1,OVERRIDDEN,pro_b,"blast, large",tech,2026-11-23T10:02:00.000Z`,
    );
    expect(lines[2]).toBe("ACC-1,i2,b.jpg,cd,CLASSIFIED,,pro_b,0.9,0.9,0.5,0.1,0.9,m@1,,,,,");
  });
});

describe("reportFlags", () => {
  it("flags low confidence, the worker's flags, overrides and unreviewed images", () => {
    expect(reportFlags(report).map((flag) => flag.text)).toEqual([
      "1 image(s) flagged: Low confidence",
      "1 image(s) flagged: Unlike the training images",
      "1 label(s) overridden by review",
      "1 of 2 classified image(s) not reviewed",
    ]);
  });
});

describe("listFlags", () => {
  it("adds the worker's flag counts from the summary to the summary's own flags", () => {
    expect(listFlags(report.summary).map((flag) => flag.text)).toEqual(["1 image(s): Unlike the training images"]);
    expect(listFlags(indeterminate).map((flag) => flag.text)).toEqual([
      "2 image(s) failed",
      "Indeterminate: review every image",
    ]);
    expect(listFlags(null)).toEqual([]);
  });
});

describe("imageFlags", () => {
  const at = (confidence: number) =>
    imageFlags({ ...report.images[1]!, prediction: { ...report.images[1]!.prediction!, confidence, flags: [] } });

  it("adds low confidence just below contracts' threshold, not at it", () => {
    expect(at(LOW_CONFIDENCE_THRESHOLD)).toEqual([]);
    expect(at(LOW_CONFIDENCE_THRESHOLD - 1e-9)).toEqual(["low_confidence"]);
  });
});

describe("classPresentation", () => {
  it("reads a label by the malignant classes of the model version that gave it", () => {
    expect(classPresentation("pre_b", ["early_pre_b", "pre_b", "pro_b"]).tone).toBe("alert");
    expect(classPresentation("benign", ["early_pre_b", "pre_b", "pro_b"]).tone).toBe("ok");
    // A 2-class model: its malignant class is no ALL subtype, and an unknown label is not malignant.
    expect(classPresentation("malignant", ["malignant"])).toMatchObject({
      tone: "alert",
      text: "malignant (malignant)",
    });
    expect(classPresentation("atypical", ["malignant"]).tone).toBe("ok");
  });
});

describe("reviewedMalignantFraction", () => {
  const reviewed = (label: string, predictedLabel: string): Review => ({
    id: "r",
    imageId: "i",
    decision: label === predictedLabel ? "CONFIRMED" : "OVERRIDDEN",
    predictedLabel,
    label,
    reason: null,
    reviewer: "tech",
    createdAt: "2026-11-23T10:03:00.000Z",
  });

  it("counts a technologist's label in place of the model's", () => {
    // i1: the model's benign overridden to pro_b; i2: pro_b, not reviewed. The model's own fraction is 0.5.
    expect(report.summary!.malignantFraction).toBe(0.5);
    expect(reviewedMalignantFraction(report, ["pro_b"])).toBe(1);
  });

  it("moves by one image per override either way, and a confirmation moves nothing", () => {
    const [i1, i2] = report.images;
    const withReviews = (first: Review | null, second: Review | null) => ({
      ...report,
      images: [
        { ...i1!, review: first },
        { ...i2!, review: second },
      ],
    });
    expect(reviewedMalignantFraction(withReviews(null, null), ["pro_b"])).toBe(0.5);
    expect(reviewedMalignantFraction(withReviews(null, reviewed("pro_b", "pro_b")), ["pro_b"])).toBe(0.5);
    expect(reviewedMalignantFraction(withReviews(null, reviewed("benign", "pro_b")), ["pro_b"])).toBe(0);
    // A 4-class model's subtypes all count; an image without a prediction does not.
    const unclassified = { ...i2!, prediction: null, review: null, status: "FAILED" as const };
    expect(
      reviewedMalignantFraction(
        { ...report, images: [{ ...i1!, review: reviewed("pre_b", "benign") }, unclassified] },
        ["early_pre_b", "pre_b", "pro_b"],
      ),
    ).toBe(1);
  });
});
