import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { renderReviewImages } from "./review-images.js";

const MAX_PIXELS = 100_000_000;

describe("renderReviewImages", () => {
  it("turns a real smear into one crop per leukocyte, a mask and an overlay", async () => {
    const bytes = readFileSync(ariaImages("benign", 1, 1)[0]!);
    const output = await renderReviewImages(bytes, { inputSize: 96, fit: "crop", stain: "none" }, MAX_PIXELS);
    expect(output.cells.length).toBeGreaterThan(1);
    for (const cell of output.cells) {
      const crop = await sharp(cell.png).metadata();
      expect(crop.width).toBe(Math.min(cell.cropBox.width, 96));
      expect(crop.height).toBe(crop.width);
      expect(cell.cropBox.width).toBe(cell.cropBox.height);
      expect(cell.cropBox.x).toBeLessThanOrEqual(cell.box.x);
      expect(cell.cropBox.x + cell.cropBox.width).toBeGreaterThanOrEqual(cell.box.x + cell.box.width);
    }
    expect(await sharp(output.maskPng).metadata()).toMatchObject({ width: 224, height: 224, channels: 1 });
    expect(await sharp(output.overlayPng).metadata()).toMatchObject({ width: 224, height: 224, channels: 3 });
  });
});
