import path from "node:path";
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { SHIFT_SUITE } from "./shift-suite.js";
import { ariaOriginalDir } from "@leukoflow/shared";

const IMAGE = path.join(ariaOriginalDir(), "benign/WBC-Benign-001.jpg");

describe("SHIFT_SUITE", () => {
  it.each(Object.keys(SHIFT_SUITE))("%s keeps the size, changes the pixels and is deterministic", async (name) => {
    const bytes = await readFile(IMAGE);
    const pixels = async (b: Buffer) => sharp(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const original = await pixels(bytes);
    const [once, twice] = [await SHIFT_SUITE[name]!(bytes), await SHIFT_SUITE[name]!(bytes)];
    const shifted = await pixels(once);
    expect([shifted.info.width, shifted.info.height]).toEqual([original.info.width, original.info.height]);
    expect(twice.equals(once)).toBe(true);
    const meanDifference =
      shifted.data.reduce((sum, v, i) => sum + Math.abs(v - original.data[i]!), 0) / shifted.data.length;
    expect(meanDifference).toBeGreaterThan(0.5);
  });
});
