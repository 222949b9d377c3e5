import { describe, expect, it } from "vitest";
import { decodeModelInputPixels, encodeModelInputPixels, ModelInputFormatError } from "./model-input-pixels.js";

describe("model input pixels", () => {
  it("round-trips the pixels and their geometry", () => {
    const data = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => i);
    const decoded = decodeModelInputPixels(encodeModelInputPixels({ width: 5, height: 3, channels: 3, data }));
    expect(decoded).toMatchObject({ width: 5, height: 3, channels: 3 });
    expect([...decoded.data]).toEqual([...data]);
  });

  it("refuses bytes that are not a model input, or whose size does not match the header", () => {
    expect(() => decodeModelInputPixels(Buffer.from("\x89PNG\r\n\x1a\n0000"))).toThrow(ModelInputFormatError);
    const encoded = encodeModelInputPixels({ width: 2, height: 2, channels: 3, data: new Uint8Array(12) });
    expect(() => decodeModelInputPixels(encoded.subarray(0, encoded.length - 1))).toThrow(ModelInputFormatError);
  });
});
