import { createRgbImage, type RgbImage } from "../rgb-image.js";

/** One of the 8 symmetries of a square: `quarterTurns` clockwise rotations, after a horizontal mirror when `mirrored`. */
export interface DihedralTransform {
  quarterTurns: 0 | 1 | 2 | 3;
  mirrored: boolean;
}

export const DIHEDRAL_TRANSFORMS: readonly DihedralTransform[] = [false, true].flatMap((mirrored) =>
  ([0, 1, 2, 3] as const).map((quarterTurns) => ({ quarterTurns, mirrored })),
);

/** Mirrors and rotates by whole quarter turns; exact, no resampling. */
export function applyDihedral(image: RgbImage, { quarterTurns, mirrored }: DihedralTransform): RgbImage {
  const { width, height, data } = image;
  const swapped = quarterTurns % 2 === 1;
  const out = createRgbImage(swapped ? height : width, swapped ? width : height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const mx = mirrored ? width - 1 - x : x;
      let tx: number, ty: number;
      switch (quarterTurns) {
        case 0:
          tx = mx;
          ty = y;
          break;
        case 1:
          tx = height - 1 - y;
          ty = mx;
          break;
        case 2:
          tx = width - 1 - mx;
          ty = height - 1 - y;
          break;
        case 3:
          tx = y;
          ty = width - 1 - mx;
          break;
      }
      const source = (y * width + x) * 3;
      const target = (ty * out.width + tx) * 3;
      out.data[target] = data[source]!;
      out.data[target + 1] = data[source + 1]!;
      out.data[target + 2] = data[source + 2]!;
    }
  }
  return out;
}

/** Test-time augmentation: the image under all 8 symmetries (the first is the image itself); average the model's outputs over them. */
export function ttaVariants(image: RgbImage): RgbImage[] {
  return DIHEDRAL_TRANSFORMS.map((transform) => applyDihedral(image, transform));
}
