import { seededRandom } from "@leukoflow/imaging";
import { describe, expect, it } from "vitest";
import { augmentImage, DEFAULT_AUGMENT } from "./augment.js";
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
    const geometricOnly = { ...DEFAULT_AUGMENT, zoom: [1, 1] as [number, number], brightness: 0, contrast: 0, saturation: 0, stain: 0 };
    const pixels = (rgb: Uint8Array): string[] => Array.from({ length: SIZE * SIZE }, (_, p) => rgb.slice(p * 3, p * 3 + 3).join(",")).sort();
    for (let seed = 0; seed < 8; seed++) {
      expect(pixels(augmentImage(image, SIZE, seededRandom(seed), geometricOnly))).toEqual(pixels(image));
    }
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
