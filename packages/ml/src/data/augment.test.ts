import { describe, expect, it } from "vitest";
import { augmentImage, DEFAULT_AUGMENT } from "./augment.js";
import { createSeededRandom } from "./seeded-random.js";

const SIZE = 8;
const image = Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * 37) % 256);

describe("augmentImage", () => {
  it("is deterministic for a seed and varies between seeds", () => {
    const a = augmentImage(image, SIZE, createSeededRandom(1));
    expect(augmentImage(image, SIZE, createSeededRandom(1))).toEqual(a);
    expect(augmentImage(image, SIZE, createSeededRandom(2))).not.toEqual(a);
    expect(a).toHaveLength(image.length);
  });

  it("without zoom, shift or colour jitter only flips and rotates: the pixels are a permutation", () => {
    const geometricOnly = { ...DEFAULT_AUGMENT, zoom: [1, 1] as [number, number], shift: 0, brightness: 0, contrast: 0, saturation: 0, stain: 0 };
    const pixels = (rgb: Uint8Array): string[] => Array.from({ length: SIZE * SIZE }, (_, p) => rgb.slice(p * 3, p * 3 + 3).join(",")).sort();
    for (let seed = 0; seed < 8; seed++) {
      expect(pixels(augmentImage(image, SIZE, createSeededRandom(seed), geometricOnly))).toEqual(pixels(image));
    }
  });
});
