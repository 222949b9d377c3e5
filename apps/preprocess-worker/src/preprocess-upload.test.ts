import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { preprocessUpload } from "./preprocess-upload.js";

const MAX_PIXELS = 100_000_000;

describe("preprocessUpload", () => {
  it("turns a real smear into the model's square input, one crop per leukocyte, a mask and an overlay", async () => {
    const bytes = readFileSync(ariaImages("benign", 1, 1)[0]!);
    const output = await preprocessUpload(bytes, { inputSize: 96, fit: "crop", stain: "none" }, MAX_PIXELS);
    expect(output).toMatchObject({ width: 224, height: 224, format: "jpeg" });
    expect(await sharp(output.png).metadata()).toMatchObject({ format: "png", width: 96, height: 96, channels: 3 });
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

  it("letterboxes a wide image with white bars where centre cropping fills the square", async () => {
    const wide = await sharp(readFileSync(ariaImages("pre_b", 1, 4)[0]!)).resize(224, 112, { fit: "fill" }).png().toBuffer();
    const letterboxed = await preprocessUpload(wide, { inputSize: 64, fit: "letterbox", stain: "none" }, MAX_PIXELS);
    const cropped = await preprocessUpload(wide, { inputSize: 64, fit: "crop", stain: "none" }, MAX_PIXELS);
    const topRow = async (png: Uint8Array) => (await sharp(png).raw().toBuffer()).subarray(0, 64 * 3);
    expect((await topRow(letterboxed.png)).every((v) => v === 255)).toBe(true);
    expect((await topRow(cropped.png)).every((v) => v === 255)).toBe(false);
  });

  it("removes most of a colour shift with Reinhard normalization: shifted and original smear come out alike", async () => {
    const original = readFileSync(ariaImages("early_pre_b", 1, 40)[0]!);
    const shifted = await sharp(original).modulate({ hue: 40, saturation: 0.6, brightness: 0.9 }).png().toBuffer();
    const pixels = async (bytes: Uint8Array, stain: "none" | "reinhard") =>
      sharp((await preprocessUpload(bytes, { inputSize: 64, fit: "crop", stain }, MAX_PIXELS)).png).raw().toBuffer();
    const meanAbsoluteDifference = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    const withoutNormalization = meanAbsoluteDifference(await pixels(shifted, "none"), await pixels(original, "none"));
    const withNormalization = meanAbsoluteDifference(await pixels(shifted, "reinhard"), await pixels(original, "reinhard"));
    expect(withNormalization).toBeLessThan(withoutNormalization / 2);
  });
});
