import type { BinaryMask } from "../rgb-image.js";

export interface MaskOverlap {
  intersection: number;
  union: number;
}

/** Pixels in both masks and in either; IoU is intersection / union (undefined when both are empty). */
export function maskOverlap(a: BinaryMask, b: BinaryMask): MaskOverlap {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`Masks differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i += 1) {
    const inA = a.data[i] !== 0;
    const inB = b.data[i] !== 0;
    if (inA && inB) intersection += 1;
    if (inA || inB) union += 1;
  }
  return { intersection, union };
}
