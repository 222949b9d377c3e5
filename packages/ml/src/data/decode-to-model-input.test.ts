import path from "node:path";
import { readFile } from "node:fs/promises";
import { ARIA_REFERENCE_LAB, labStatistics } from "@leukoflow/imaging";
import { describe, expect, it } from "vitest";
import { decodeToModelInput } from "./decode-to-model-input.js";
import { SHIFT_SUITE } from "./shift-suite.js";
import { ariaOriginalDir } from "@leukoflow/shared";

const IMAGE = path.join(ariaOriginalDir(), "pre_b/WBC-Malignant-Pre-001.jpg");

describe("decodeToModelInput", () => {
  it("gives a Reinhard-trained model a stain-shifted smear in the dataset's colours, and a model trained without it the colours as they are", async () => {
    const shifted = await SHIFT_SUITE.stain!(await readFile(IMAGE));
    const meanL = async (stainNormalization: "none" | "reinhard") => {
      const data = await decodeToModelInput(shifted, { inputSize: 64, stainNormalization });
      expect(data.length).toBe(64 * 64 * 3);
      return labStatistics({ width: 64, height: 64, data }).mean;
    };
    const [normalized, asIs] = [await meanL("reinhard"), await meanL("none")];
    const distance = (mean: number[]) => Math.hypot(...mean.map((m, c) => m - ARIA_REFERENCE_LAB.mean[c]!));
    expect(distance(normalized)).toBeLessThan(1.5);
    expect(distance(asIs)).toBeGreaterThan(3 * distance(normalized));
  });
});
