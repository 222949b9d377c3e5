import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ariaImages } from "../../../../test/support/datasets.js";
import { encodeBmp, type BmpVariant } from "../test-support/encode-bmp.js";
import { decodeBmp } from "./decode-bmp.js";
import { InvalidBmpError } from "./invalid-bmp-error.js";

const MAX_PIXELS = 100_000_000;

/** File header + BITMAPINFOHEADER for a BI_RGB image, written out field by field from the spec. */
function infoHeader(
  width: number,
  height: number,
  bitsPerPixel: number,
  pixelOffset: number,
  fileSize: number,
  colours = 0,
): number[] {
  const bytes = new Uint8Array(54);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, fileSize, true);
  view.setUint32(10, pixelOffset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bitsPerPixel, true);
  view.setUint32(46, colours, true);
  return [...bytes];
}

describe("decodeBmp", () => {
  it("reads a hand-written 24-bit bottom-up file: BGR order, last row first, rows padded to 4 bytes", () => {
    const rows = [
      [0xff, 0x00, 0x00, 0xff, 0xff, 0xff, 0, 0], // bottom row: blue, white
      [0x00, 0x00, 0xff, 0x00, 0xff, 0x00, 0, 0], // top row: red, green
    ];
    const file = new Uint8Array([...infoHeader(2, 2, 24, 54, 70), ...rows.flat()]);
    expect(decodeBmp(file, MAX_PIXELS)).toEqual({
      width: 2,
      height: 2,
      channels: 3,
      data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]),
    });
  });

  it("reads hand-written 1-bit paletted and 16-bit 5-5-5 files", () => {
    const palette = [0, 0, 0, 0, 0xff, 0xff, 0xff, 0];
    const oneBit = new Uint8Array([...infoHeader(3, 1, 1, 62, 66, 2), ...palette, 0b1010_0000, 0, 0, 0]);
    expect([...decodeBmp(oneBit, MAX_PIXELS).data]).toEqual([255, 255, 255, 0, 0, 0, 255, 255, 255]);
    const sixteen = new Uint8Array([...infoHeader(2, 1, 16, 54, 58), 0x00, 0x7c, 0x10, 0x02]);
    // 0x7c00 is pure red; 0x0210 is green 16/31 and blue 16/31.
    expect([...decodeBmp(sixteen, MAX_PIXELS).data]).toEqual([255, 0, 0, 0, 132, 132]);
  });

  const variants: BmpVariant[] = [
    { bitsPerPixel: 24, topDown: false, headerSize: 40 },
    { bitsPerPixel: 24, topDown: true, headerSize: 124 },
    { bitsPerPixel: 32, topDown: false, headerSize: 108 },
    { bitsPerPixel: 32, topDown: true, headerSize: 40 },
  ];
  it.each(variants)("reproduces a real smear image pixel for pixel from %o", async (variant) => {
    // An odd width exercises row padding.
    const { data, info } = await sharp(readFileSync(ariaImages("pre_b", 1, 7)[0]!))
      .resize(223, 161)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const decoded = decodeBmp(encodeBmp(data, info.width, info.height, variant), MAX_PIXELS);
    expect(decoded).toMatchObject({ width: 223, height: 161, channels: 3 });
    expect(Buffer.compare(Buffer.from(decoded.data), data)).toBe(0);
  });

  it("keeps the alpha of 32-bit bit-field files, with the mask after a BITMAPINFOHEADER or inside a V5 header", async () => {
    const { data, info } = await sharp(readFileSync(ariaImages("benign", 1, 3)[0]!))
      .resize(97, 64)
      .ensureAlpha(0.5)
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (const headerSize of [40, 124] as const) {
      const decoded = decodeBmp(
        encodeBmp(data, info.width, info.height, { bitsPerPixel: 32, topDown: false, headerSize, alpha: true }),
        MAX_PIXELS,
      );
      expect(decoded.channels).toBe(4);
      expect(Buffer.compare(Buffer.from(decoded.data), data)).toBe(0);
    }
  });

  it("reads an 8-bit paletted grey image made from a real smear", async () => {
    const { data: grey, info } = await sharp(readFileSync(ariaImages("pro_b", 1, 2)[0]!))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    const rgb = Buffer.alloc(grey.length * 3);
    grey.forEach((level, i) => rgb.fill(level, i * 3, i * 3 + 3));
    const decoded = decodeBmp(
      encodeBmp(rgb, info.width, info.height, { bitsPerPixel: 8, topDown: false, headerSize: 40 }),
      MAX_PIXELS,
    );
    expect(Buffer.compare(Buffer.from(decoded.data), rgb)).toBe(0);
  });

  it("refuses truncated, oversized, compressed and foreign input with InvalidBmpError", async () => {
    const { data, info } = await sharp(readFileSync(ariaImages("benign", 1)[0]!))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const file = encodeBmp(data, info.width, info.height, { bitsPerPixel: 24, topDown: false, headerSize: 40 });
    expect(() => decodeBmp(file.subarray(0, file.length - 100), MAX_PIXELS)).toThrow(/truncated/);
    expect(() => decodeBmp(file.subarray(0, 30), MAX_PIXELS)).toThrow(InvalidBmpError);
    expect(() => decodeBmp(file, 1_000)).toThrow(/pixel limit/);
    const rle = file.slice();
    rle[30] = 1;
    expect(() => decodeBmp(rle, MAX_PIXELS)).toThrow(/compression 1/);
    expect(() => decodeBmp(readFileSync(ariaImages("benign", 1)[0]!), MAX_PIXELS)).toThrow(/signature/);
  });
});
