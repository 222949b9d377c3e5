import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { InvalidImageError } from "@leukoflow/shared";
import { ariaImages } from "../../../test/support/datasets.js";
import { encodeBmp } from "../../../packages/imaging/src/test-support/encode-bmp.js";
import { decodeUpload } from "./decode-upload.js";

const MAX_PIXELS = 100_000_000;
const JPEG = readFileSync(ariaImages("early_pre_b", 1, 12)[0]!);

async function reference() {
  const { data, info } = await sharp(JPEG).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

describe("decodeUpload", () => {
  it("decodes a real smear JPEG to sRGB pixels", async () => {
    const ref = await reference();
    const decoded = await decodeUpload(JPEG, MAX_PIXELS);
    expect(decoded.format).toBe("jpeg");
    expect(sameBytes(decoded.image.data, ref.data)).toBe(true);
  });

  it("gives the same pixels from lossless PNG, WebP, 16-bit TIFF, the first page of a multi-page TIFF and 24/32-bit BMPs", async () => {
    const ref = await reference();
    const raw = sharp(ref.data, { raw: { width: ref.width, height: ref.height, channels: 3 } });
    const blankPage = await sharp({ create: { width: ref.width, height: ref.height, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const files: Record<string, Buffer | Uint8Array> = {
      png: await raw.clone().png().toBuffer(),
      webp: await raw.clone().webp({ lossless: true }).toBuffer(),
      tiff16: await raw.clone().toColourspace("rgb16").tiff({ compression: "lzw" }).toBuffer(),
      tiffPages: await sharp([await raw.clone().png().toBuffer(), blankPage], { join: { animated: true } })
        .tiff({ compression: "lzw" })
        .toBuffer(),
      bmp24: encodeBmp(ref.data, ref.width, ref.height, { bitsPerPixel: 24, topDown: false, headerSize: 40 }),
      bmp32: encodeBmp(ref.data, ref.width, ref.height, { bitsPerPixel: 32, topDown: true, headerSize: 124 }),
    };
    expect((await sharp(files.tiff16).metadata()).depth).toBe("ushort");
    expect((await sharp(files.tiffPages).metadata()).pages).toBe(2);
    for (const [name, bytes] of Object.entries(files)) {
      const decoded = await decodeUpload(bytes, MAX_PIXELS);
      expect({ name, width: decoded.image.width, same: sameBytes(decoded.image.data, ref.data) }).toEqual({
        name,
        width: ref.width,
        same: true,
      });
    }
  });

  it("expands grey to RGB and flattens transparency onto white", async () => {
    const grey = await sharp(JPEG).greyscale().png().toBuffer();
    const fromGrey = await decodeUpload(grey, MAX_PIXELS);
    expect(fromGrey.image.data.length).toBe(224 * 224 * 3);
    expect(fromGrey.image.data[0]).toBe(fromGrey.image.data[1]);
    const transparent = await sharp(JPEG).ensureAlpha(0).png().toBuffer();
    expect((await decodeUpload(transparent, MAX_PIXELS)).image.data.every((v) => v === 255)).toBe(true);
    const { data, info } = await sharp(JPEG).ensureAlpha(0).raw().toBuffer({ resolveWithObject: true });
    const bmpWithAlpha = encodeBmp(data, info.width, info.height, {
      bitsPerPixel: 32,
      topDown: false,
      headerSize: 108,
      alpha: true,
    });
    expect((await decodeUpload(bmpWithAlpha, MAX_PIXELS)).image.data.every((v) => v === 255)).toBe(true);
  });

  it("applies EXIF orientation: a JPEG tagged 'rotate 90° clockwise' comes out turned", async () => {
    const wide = await sharp(JPEG).extract({ left: 0, top: 0, width: 224, height: 150 }).png().toBuffer();
    const tagged = await sharp(wide).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const decoded = await decodeUpload(tagged, MAX_PIXELS);
    expect({ width: decoded.image.width, height: decoded.image.height }).toEqual({ width: 150, height: 224 });
    const expected = await sharp(await sharp(wide).jpeg({ quality: 100 }).toBuffer())
      .rotate(90)
      .raw()
      .toBuffer();
    expect(sameBytes(decoded.image.data, expected)).toBe(true);
  });

  it("refuses truncated JPEG and BMP, garbage and a too-large image as InvalidImageError", async () => {
    const ref = await reference();
    const bmp = encodeBmp(ref.data, ref.width, ref.height, { bitsPerPixel: 24, topDown: false, headerSize: 40 });
    for (const bytes of [
      JPEG.subarray(0, JPEG.length / 2),
      bmp.subarray(0, bmp.length - 500),
      Buffer.from("not an image at all"),
    ]) {
      await expect(decodeUpload(bytes, MAX_PIXELS)).rejects.toBeInstanceOf(InvalidImageError);
    }
    await expect(decodeUpload(bmp, 1_000)).rejects.toThrow(/pixel limit/);
    await expect(decodeUpload(JPEG, 1_000)).rejects.toBeInstanceOf(InvalidImageError);
  });
});
