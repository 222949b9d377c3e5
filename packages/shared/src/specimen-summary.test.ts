import { describe, expect, it } from "vitest";
import { summarizeSpecimen } from "./specimen-summary.js";

const image = (label: string) => ({ label, confidence: 0.9 });

describe("summarizeSpecimen", () => {
  it("calls ALL suspected with the dominant subtype when most cells are malignant", () => {
    const summary = summarizeSpecimen([image("pro_b"), image("pro_b"), image("pre_b"), image("benign")], 1);
    expect(summary).toMatchObject({
      imageCount: 5,
      classifiedCount: 4,
      failedCount: 1,
      countsByLabel: { pro_b: 2, pre_b: 1, benign: 1 },
      malignantFraction: 0.75,
      call: "all_suspected",
      dominantSubtype: "pro_b",
    });
  });

  it("calls benign below the malignant threshold and indeterminate with nothing classified", () => {
    expect(summarizeSpecimen([image("benign"), image("benign"), image("pre_b")], 0)).toMatchObject({
      call: "benign",
      dominantSubtype: null,
    });
    expect(summarizeSpecimen([], 3).call).toBe("indeterminate");
  });
});
