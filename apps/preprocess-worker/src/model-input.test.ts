import { readFileSync } from "node:fs";
import { decodeToModelInput } from "@leukoflow/ml";
import { decodeModelInputPixels } from "@leukoflow/shared";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { makeModelInput } from "./model-input.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";

const MAX_PIXELS = 100_000_000;

async function modelInput(bytes: Uint8Array, recipe: PreprocessingRecipe) {
  const output = await makeModelInput(bytes, recipe, MAX_PIXELS);
  return { ...output, decoded: decodeModelInputPixels(output.pixels) };
}

describe("makeModelInput", () => {
  it("turns a real smear into the model's square input, as raw pixels with their geometry", async () => {
    const bytes = readFileSync(ariaImages("benign", 1, 1)[0]!);
    const output = await modelInput(bytes, { inputSize: 96, fit: "crop", stain: "none" });
    expect(output).toMatchObject({
      width: 224,
      height: 224,
      format: "jpeg",
      decoded: { width: 96, height: 96, channels: 3 },
    });
    // The same pixels sharp makes from the upload with the same resize: nothing lost on the way.
    const expected = await sharp(bytes).rotate().resize(96, 96, { fit: "cover", position: "centre" }).raw().toBuffer();
    expect(Buffer.from(output.decoded.data).equals(expected)).toBe(true);
  });

  it("gives an EXIF-rotated upload's size as oriented, and its input turned as the tag says", async () => {
    const wide = await sharp(readFileSync(ariaImages("pro_b", 1, 7)[0]!))
      .extract({ left: 0, top: 0, width: 224, height: 150 })
      .png()
      .toBuffer();
    const untagged = await sharp(wide).jpeg({ quality: 100 }).toBuffer();
    const tagged = await sharp(wide).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const output = await modelInput(tagged, { inputSize: 64, fit: "crop", stain: "none" });
    expect({ width: output.width, height: output.height }).toEqual({ width: 150, height: 224 });
    const expected = await sharp(untagged)
      .rotate(90)
      .resize(64, 64, { fit: "cover", position: "centre" })
      .raw()
      .toBuffer();
    // sharp turns the image after shrinking it, so samples may round differently: by 2 levels at most.
    const largestDifference = output.decoded.data.reduce((most, v, i) => Math.max(most, Math.abs(v - expected[i]!)), 0);
    expect(largestDifference).toBeLessThanOrEqual(2);
  });

  it("serves a model trained without stain normalization exactly the pixels its training and evaluation decoded", async () => {
    for (const file of ariaImages("early_pre_b", 5, 120)) {
      const bytes = readFileSync(file);
      const served = await modelInput(bytes, { inputSize: 112, fit: "crop", stain: "none" });
      const trained = await decodeToModelInput(bytes, { inputSize: 112, stainNormalization: "none" });
      expect(Buffer.from(served.decoded.data).equals(Buffer.from(trained))).toBe(true);
    }
  });

  it("letterboxes a wide image with white bars where centre cropping fills the square", async () => {
    const wide = await sharp(readFileSync(ariaImages("pre_b", 1, 4)[0]!))
      .resize(224, 112, { fit: "fill" })
      .png()
      .toBuffer();
    const letterboxed = await modelInput(wide, { inputSize: 64, fit: "letterbox", stain: "none" });
    const cropped = await modelInput(wide, { inputSize: 64, fit: "crop", stain: "none" });
    const topRow = (pixels: Uint8Array) => pixels.subarray(0, 64 * 3);
    expect(topRow(letterboxed.decoded.data).every((v) => v === 255)).toBe(true);
    expect(topRow(cropped.decoded.data).every((v) => v === 255)).toBe(false);
  });

  it("removes most of a colour shift with Reinhard normalization: shifted and original smear come out alike", async () => {
    const original = readFileSync(ariaImages("early_pre_b", 1, 40)[0]!);
    const shifted = await sharp(original).modulate({ hue: 40, saturation: 0.6, brightness: 0.9 }).png().toBuffer();
    const pixels = async (bytes: Uint8Array, stain: "none" | "reinhard") =>
      (await modelInput(bytes, { inputSize: 64, fit: "crop", stain })).decoded.data;
    const meanAbsoluteDifference = (a: Uint8Array, b: Uint8Array) =>
      a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    const withoutNormalization = meanAbsoluteDifference(await pixels(shifted, "none"), await pixels(original, "none"));
    const withNormalization = meanAbsoluteDifference(
      await pixels(shifted, "reinhard"),
      await pixels(original, "reinhard"),
    );
    expect(withNormalization).toBeLessThan(withoutNormalization / 2);
  });
});
