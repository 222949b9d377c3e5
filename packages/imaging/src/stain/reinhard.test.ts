import { describe, expect, it } from "vitest";
import { jitterColour } from "../augment/jitter-colour.js";
import { ariaRgb } from "../test-support/real-images.js";
import { ARIA_REFERENCE_LAB, labStatistics, reinhardNormalize } from "./reinhard.js";

describe("Reinhard stain normalization", () => {
  it("gives a real smear the target's Lab statistics", async () => {
    const image = await ariaRgb("pro_b/WBC-Malignant-Pro-030.jpg");
    const normalized = reinhardNormalize(image, labStatistics(image), ARIA_REFERENCE_LAB);
    const after = labStatistics(normalized);
    for (let c = 0; c < 3; c += 1) {
      // Clamping to the sRGB gamut keeps this from being exact.
      expect(after.mean[c]).toBeCloseTo(ARIA_REFERENCE_LAB.mean[c]!, -0.5);
      expect(after.std[c]).toBeCloseTo(ARIA_REFERENCE_LAB.std[c]!, -0.5);
    }
  });

  it("undoes most of a colour shift: the shifted image normalized to the original's statistics comes back close", async () => {
    const image = await ariaRgb("early_pre_b/WBC-Malignant-Early-100.jpg");
    const shifted = jitterColour(image, { brightness: 0.85, contrast: 1.15, saturation: 0.7 });
    const restored = reinhardNormalize(shifted, labStatistics(shifted), labStatistics(image));
    const meanAbsoluteDifference = (a: Uint8Array) =>
      a.reduce((sum, v, i) => sum + Math.abs(v - image.data[i]!), 0) / a.length;
    expect(meanAbsoluteDifference(restored.data)).toBeLessThan(meanAbsoluteDifference(shifted.data) / 2);
  });

  it("leaves an image unchanged when source and target statistics are its own", async () => {
    const image = await ariaRgb("benign/WBC-Benign-040.jpg");
    const same = reinhardNormalize(image, labStatistics(image), labStatistics(image));
    const worst = same.data.reduce((max, v, i) => Math.max(max, Math.abs(v - image.data[i]!)), 0);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
