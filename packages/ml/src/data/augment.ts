export interface AugmentOptions {
  /** Zoom factor range; > 1 zooms in. */
  zoom: [number, number];
  /** Maximum shift as a fraction of the image side. */
  shift: number;
  brightness: number;
  contrast: number;
  saturation: number;
  /** Per-channel gain range ±, mimicking stain and illumination differences between smears. */
  stain: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  zoom: [0.9, 1.15],
  shift: 0.06,
  brightness: 0.08,
  contrast: 0.15,
  saturation: 0.15,
  stain: 0.06,
};

const uniform = (random: () => number, low: number, high: number): number => low + (high - low) * random();

/**
 * A random dihedral transform (flips and 90° rotations, which cells do not care about), zoom and
 * shift with bilinear sampling and edge clamping, then colour jitter. Input and output are RGB HWC
 * bytes of size × size; `random` makes it deterministic.
 */
export function augmentImage(rgb: Uint8Array, size: number, random: () => number, options: AugmentOptions = DEFAULT_AUGMENT): Uint8Array {
  const swap = random() < 0.5;
  const flipX = random() < 0.5 ? -1 : 1;
  const flipY = random() < 0.5 ? -1 : 1;
  const zoom = uniform(random, options.zoom[0], options.zoom[1]);
  const shiftX = uniform(random, -options.shift, options.shift) * size;
  const shiftY = uniform(random, -options.shift, options.shift) * size;
  const gains = [0, 1, 2].map(() => 1 + uniform(random, -options.stain, options.stain));
  const brightness = uniform(random, -options.brightness, options.brightness) * 255;
  const contrast = 1 + uniform(random, -options.contrast, options.contrast);
  const saturation = 1 + uniform(random, -options.saturation, options.saturation);

  const out = new Uint8Array(rgb.length);
  const centre = size / 2;
  const pixel = [0, 0, 0];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5 - centre) / zoom;
      const v = (y + 0.5 - centre) / zoom;
      const sx = Math.min(size - 1, Math.max(0, (swap ? v : u) * flipX + centre - 0.5 + shiftX));
      const sy = Math.min(size - 1, Math.max(0, (swap ? u : v) * flipY + centre - 0.5 + shiftY));
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const x1 = Math.min(size - 1, x0 + 1), y1 = Math.min(size - 1, y0 + 1);
      const fx = sx - x0, fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const top = rgb[(y0 * size + x0) * 3 + c]! * (1 - fx) + rgb[(y0 * size + x1) * 3 + c]! * fx;
        const bottom = rgb[(y1 * size + x0) * 3 + c]! * (1 - fx) + rgb[(y1 * size + x1) * 3 + c]! * fx;
        pixel[c] = (top * (1 - fy) + bottom * fy) * gains[c]!;
      }
      const grey = 0.299 * pixel[0]! + 0.587 * pixel[1]! + 0.114 * pixel[2]!;
      for (let c = 0; c < 3; c++) {
        const saturated = grey + (pixel[c]! - grey) * saturation;
        out[(y * size + x) * 3 + c] = Math.round(Math.min(255, Math.max(0, (saturated - 128) * contrast + 128 + brightness)));
      }
    }
  }
  return out;
}
