import { rotateAboutCentre, seededRandom } from "@leukoflow/imaging";
import { describe, expect, it } from "vitest";
import { augmentImage, DEFAULT_AUGMENT, ROBUST_AUGMENT } from "./augment.js";
import { applyCameraResponse } from "./camera-response.js";
import { jitterHed } from "./hed-jitter.js";
import { gaussianBlur, recompressJpeg, resampleThrough } from "./optics.js";
import { addGaussianNoise } from "./sensor-noise.js";
import { jitterStain } from "./stain-jitter.js";

const SIZE = 8;
const image = Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * 37) % 256);
const flat = (value: number, size = 16) => ({
  width: size,
  height: size,
  data: new Uint8Array(size * size * 3).fill(value),
});

describe("augmentImage", () => {
  it.each([
    ["default", DEFAULT_AUGMENT],
    ["robust", ROBUST_AUGMENT],
  ])("is deterministic for a seed and varies between seeds (%s)", async (_, options) => {
    const a = await augmentImage(image, SIZE, seededRandom(1), options);
    expect(await augmentImage(image, SIZE, seededRandom(1), options)).toEqual(a);
    expect(await augmentImage(image, SIZE, seededRandom(2), options)).not.toEqual(a);
    expect(a).toHaveLength(image.length);
  });

  it("without zoom or colour jitter only flips and rotates: the pixels are a permutation", async () => {
    const geometricOnly = {
      ...DEFAULT_AUGMENT,
      zoom: [1, 1] as [number, number],
      brightness: 0,
      contrast: 0,
      saturation: 0,
      stain: 0,
    };
    const pixels = (rgb: Uint8Array): string[] =>
      Array.from({ length: SIZE * SIZE }, (_, p) => rgb.slice(p * 3, p * 3 + 3).join(",")).sort();
    for (let seed = 0; seed < 8; seed++) {
      expect(pixels(await augmentImage(image, SIZE, seededRandom(seed), geometricOnly))).toEqual(pixels(image));
    }
  });
});

describe("stain changes", () => {
  it("jitterStain keeps white white, is the identity at gain 1 and darkens a channel whose gain grows", () => {
    const rgb = { width: 2, height: 1, data: Uint8Array.from([255, 255, 255, 120, 80, 200]) };
    expect([...jitterStain(rgb, [1, 1, 1]).data]).toEqual([...rgb.data]);
    const stronger = jitterStain(rgb, [1.3, 1, 1]).data;
    expect([...stronger.subarray(0, 3)]).toEqual([255, 255, 255]);
    expect(stronger[3]).toBeLessThan(120);
    expect([...stronger.subarray(4)]).toEqual([80, 200]);
  });

  it("jitterHed is the identity at scale 1, shift 0 and more haematoxylin darkens a nucleus' red most", () => {
    const nucleus = { width: 2, height: 1, data: Uint8Array.from([255, 255, 255, 120, 80, 200]) };
    const same = jitterHed(nucleus, { scale: [1, 1, 1], shift: [0, 0, 0] }).data;
    same.forEach((value, i) => expect(Math.abs(value - nucleus.data[i]!)).toBeLessThanOrEqual(1));
    const moreHaematoxylin = jitterHed(nucleus, { scale: [1.5, 1, 1], shift: [0, 0, 0] }).data;
    expect([...moreHaematoxylin.subarray(0, 3)]).toEqual([255, 255, 255]);
    const drop = [0, 1, 2].map((c) => nucleus.data[3 + c]! - moreHaematoxylin[3 + c]!);
    expect(drop[0]).toBeGreaterThan(drop[2]!);
    expect(Math.min(...drop)).toBeGreaterThan(0);
  });

  it("applyCameraResponse is the identity at gains 1 and gamma 1; a red gain warms grey", () => {
    const grey = flat(128, 2);
    expect([...applyCameraResponse(grey, { gains: [1, 1, 1], gamma: 1 }).data]).toEqual([...grey.data]);
    const warm = applyCameraResponse(grey, { gains: [1.1, 1, 0.85], gamma: 1 }).data;
    expect([warm[0], warm[1], warm[2]]).toEqual([141, 128, 109]);
  });
});

describe("geometry, optics and noise", () => {
  it("rotateAboutCentre by 0° is the identity and by 90° equals a quarter turn", () => {
    const square = { width: SIZE, height: SIZE, data: image };
    expect([...rotateAboutCentre(square, 0).data]).toEqual([...image]);
    const turned = rotateAboutCentre(square, 90).data;
    // Counter-clockwise: the top-right pixel moves to the top-left.
    expect([...turned.subarray(0, 3)]).toEqual([...image.subarray((SIZE - 1) * 3, SIZE * 3)]);
  });

  it("fills the corners a rotation uncovers with white when asked", () => {
    const rotated = rotateAboutCentre(flat(90), 30, [255, 255, 255]).data;
    expect([...rotated.subarray(0, 3)]).toEqual([255, 255, 255]);
    const centre = (8 * 16 + 8) * 3;
    expect(rotated[centre]).toBe(90);
  });

  it("blur, resampling and JPEG keep a flat image flat and the size unchanged", async () => {
    const grey = flat(100);
    for (const changed of [
      await gaussianBlur(grey, 1),
      await resampleThrough(grey, 0.5),
      await recompressJpeg(grey, 30),
    ]) {
      expect([changed.width, changed.height, changed.data.length]).toEqual([16, 16, grey.data.length]);
      changed.data.forEach((value) => expect(Math.abs(value - 100)).toBeLessThanOrEqual(2));
    }
  });

  it("blur spreads an edge and noise has the asked spread", async () => {
    const step = {
      width: 16,
      height: 16,
      data: Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (Math.floor(i / 3) % 16 < 8 ? 0 : 200)),
    };
    const blurred = (await gaussianBlur(step, 1.5)).data;
    expect(blurred[7 * 3]).toBeGreaterThan(20);
    expect(blurred[8 * 3]).toBeLessThan(180);
    const noisy = addGaussianNoise(
      { width: 100, height: 100, data: new Uint8Array(30000).fill(128) },
      10,
      seededRandom(4),
    ).data;
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const sd = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    expect(Math.abs(mean - 128)).toBeLessThan(0.5);
    expect(sd).toBeGreaterThan(9);
    expect(sd).toBeLessThan(11);
  });
});
