/** CIE L*a*b* (D65) ⇄ 8-bit sRGB, for colour statistics that match how people see stain differences. */

const SRGB_TO_LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const WHITE = [0.95047, 1, 1.08883] as const;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

/** Writes L*, a*, b* of one sRGB pixel into `out` at `at`. */
export function srgbToLab(r: number, g: number, b: number, out: Float32Array, at: number): void {
  const lr = SRGB_TO_LINEAR[r]!,
    lg = SRGB_TO_LINEAR[g]!,
    lb = SRGB_TO_LINEAR[b]!;
  const fx = labF((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / WHITE[0]);
  const fy = labF(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = labF((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / WHITE[2]);
  out[at] = 116 * fy - 16;
  out[at + 1] = 500 * (fx - fy);
  out[at + 2] = 200 * (fy - fz);
}

/** Writes the 8-bit sRGB pixel (clamped) of L*, a*, b* into `out` at `at`. */
export function labToSrgb(l: number, a: number, b: number, out: Uint8Array, at: number): void {
  const fy = (l + 16) / 116;
  const x = WHITE[0] * labFInverse(fy + a / 500);
  const y = labFInverse(fy);
  const z = WHITE[2] * labFInverse(fy - b / 200);
  out[at] = linearToSrgb(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
  out[at + 1] = linearToSrgb(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
  out[at + 2] = linearToSrgb(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
}

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

function labFInverse(f: number): number {
  const cube = f * f * f;
  return cube > EPSILON ? cube : (116 * f - 16) / KAPPA;
}

function linearToSrgb(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
}
