import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { InvalidImageError } from "@leukoflow/shared";
import { ariaImages } from "../../../test/support/datasets.js";
import { normalizeImage } from "./normalize-image.js";

const MAX_PIXELS = 100_000_000;

describe("normalizeImage", () => {
  it("turns a real smear JPEG into a square RGB PNG of the model's input size", async () => {
    const bytes = readFileSync(ariaImages("early_pre_b", 1)[0]!);
    const normalized = await normalizeImage(bytes, 96, MAX_PIXELS);
    expect(normalized).toMatchObject({ width: 224, height: 224, format: "jpeg" });
    const output = await sharp(normalized.png).metadata();
    expect(output).toMatchObject({ format: "png", width: 96, height: 96, channels: 3 });
  });

  it("applies EXIF orientation before cropping", async () => {
    const landscape = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#a04080" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const normalized = await normalizeImage(landscape, 64, MAX_PIXELS);
    expect({ width: normalized.width, height: normalized.height }).toEqual({ width: 200, height: 300 });
  });

  it("rejects a truncated JPEG and a header claiming too many pixels as invalid images", async () => {
    const bytes = readFileSync(ariaImages("pre_b", 1)[0]!);
    await expect(normalizeImage(bytes.subarray(0, bytes.length / 3), 64, MAX_PIXELS)).rejects.toBeInstanceOf(InvalidImageError);
    await expect(normalizeImage(bytes, 64, 1_000)).rejects.toBeInstanceOf(InvalidImageError);
  });
});
