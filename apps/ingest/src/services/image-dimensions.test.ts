import { decodeBmp } from "@leukoflow/imaging";
import { describe, expect, it } from "vitest";
import { encodeBmp } from "../../../../packages/imaging/src/test-support/encode-bmp.js";
import { readDimensions } from "./image-dimensions.js";

/** A 24-bit bitmap with the 12-byte BITMAPCOREHEADER (OS/2): 16-bit width and height at bytes 18 and 20. */
function coreHeaderBmp(width: number, height: number): Buffer {
  const stride = Math.ceil((24 * width) / 32) * 4;
  const bytes = Buffer.alloc(26 + stride * height, 0x80);
  bytes.write("BM", 0, "latin1");
  bytes.writeUInt32LE(bytes.length, 2);
  bytes.writeUInt32LE(0, 6);
  bytes.writeUInt32LE(26, 10);
  bytes.writeUInt32LE(12, 14);
  bytes.writeUInt16LE(width, 18);
  bytes.writeInt16LE(height, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt16LE(24, 24);
  return bytes;
}

describe("readDimensions of a BMP", () => {
  it("reads a BITMAPCOREHEADER's 16-bit sizes, as the decoder does", async () => {
    const bmp = coreHeaderBmp(300, 200);
    expect(await readDimensions("bmp", bmp)).toEqual({ width: 300, height: 200 });
    const decoded = decodeBmp(bmp, 1e6);
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 300, height: 200 });
  });

  it("reads a BITMAPINFOHEADER's, top-down rows included", async () => {
    const pixels = new Uint8Array(5 * 3 * 3).fill(200);
    const bmp = Buffer.from(encodeBmp(pixels, 5, 3, { bitsPerPixel: 24, topDown: true, headerSize: 40 }));
    expect(await readDimensions("bmp", bmp.subarray(0, 64))).toEqual({ width: 5, height: 3 });
  });

  it("gives no dimensions when the leading bytes end inside the headers", async () => {
    expect(await readDimensions("bmp", coreHeaderBmp(300, 200).subarray(0, 20))).toBeNull();
    const pixels = new Uint8Array(5 * 3 * 3);
    const info = Buffer.from(encodeBmp(pixels, 5, 3, { bitsPerPixel: 24, topDown: false, headerSize: 40 }));
    expect(await readDimensions("bmp", info.subarray(0, 40))).toBeNull();
  });
});
