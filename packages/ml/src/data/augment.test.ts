import { seededRandom } from "@leukoflow/imaging";
import { describe, expect, it } from "vitest";
import { augmentImage, DEFAULT_AUGMENT } from "./augment.js";
import { addGaussianNoise, boxBlur3 } from "./noise-and-blur.js";
import { jitterStain } from "./stain-jitter.js";

const SIZE = 8;
const image = Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * 37) % 256);

describe("augmentImage", () => {
  it("is deterministic for a seed and varies between seeds", () => {
    const a = augmentImage(image, SIZE, seededRandom(1));
    expect(augmentImage(image, SIZE, seededRandom(1))).toEqual(a);
    expect(augmentImage(image, SIZE, seededRandom(2))).not.toEqual(a);
    expect(a).toHaveLength(image.length);
  });

  it("without zoom or colour jitter only flips and rotates: the pixels are a permutation", () => {
    const geometricOnly = { ...DEFAULT_AUGMENT, zoom: [1, 1] as [number, number], brightness: 0, contrast: 0, saturation: 0, stain: 0, blur: 0, noise: 0 };
    const pixels = (rgb: Uint8Array): string[] => Array.from({ length: SIZE * SIZE }, (_, p) => rgb.slice(p * 3, p * 3 + 3).join(",")).sort();
    for (let seed = 0; seed < 8; seed++) {
      expect(pixels(augmentImage(image, SIZE, seededRandom(seed), geometricOnly))).toEqual(pixels(image));
    }
  });
});

describe("blur and noise", () => {
  it("blur averages neighbours (a flat image stays flat) and noise has the asked spread", () => {
    const flat = { width: 4, height: 4, data: new Uint8Array(48).fill(90) };
    expect([...boxBlur3(flat).data]).toEqual([...flat.data]);
    const step = { width: 3, height: 1, data: Uint8Array.from([0, 0, 0, 90, 90, 90, 180, 180, 180]) };
    expect(boxBlur3(step).data[3]).toBe(90);
    expect(boxBlur3(step).data[0]).toBe(30);
    const noisy = addGaussianNoise({ width: 100, height: 100, data: new Uint8Array(30000).fill(128) }, 10, seededRandom(4)).data;
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const sd = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    expect(Math.abs(mean - 128)).toBeLessThan(0.5);
    expect(sd).toBeGreaterThan(9);
    expect(sd).toBeLessThan(11);
  });
});

describe("jitterStain", () => {
  it("keeps white white, is the identity at gain 1 and darkens a channel whose gain grows", () => {
    const rgb = { width: 2, height: 1, data: Uint8Array.from([255, 255, 255, 120, 80, 200]) };
    expect([...jitterStain(rgb, [1, 1, 1]).data]).toEqual([...rgb.data]);
    const stronger = jitterStain(rgb, [1.3, 1, 1]).data;
    expect([...stronger.subarray(0, 3)]).toEqual([255, 255, 255]);
    expect(stronger[3]).toBeLessThan(120);
    expect([...stronger.subarray(4)]).toEqual([80, 200]);
  });
});
