import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sniffImageFormat } from "./image-format.js";
import { ariaOriginalDir } from "./workspace-paths.js";

const SAMPLE_JPEG = path.join(ariaOriginalDir(), "benign/WBC-Benign-001.jpg");

describe("sniffImageFormat", () => {
  it("recognises a real microscope JPEG by its bytes", () => {
    expect(sniffImageFormat(readFileSync(SAMPLE_JPEG).subarray(0, 12))).toBe("jpeg");
  });

  it.each([
    ["png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]],
    ["tiff", [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 0, 0, 0, 0]],
    ["tiff", [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0]],
    ["bmp", [0x42, 0x4d, 0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0]],
    ["webp", [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]],
  ])("recognises %s", (format, bytes) => {
    expect(sniffImageFormat(Uint8Array.from(bytes))).toBe(format);
  });

  it("refuses text, empty input and a RIFF file that is not WebP", () => {
    expect(sniffImageFormat(Buffer.from("hello, world"))).toBeNull();
    expect(sniffImageFormat(new Uint8Array())).toBeNull();
    expect(sniffImageFormat(Buffer.from("RIFF\0\0\0\0WAVE"))).toBeNull();
  });
});
