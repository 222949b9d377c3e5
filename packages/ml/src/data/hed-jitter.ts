import { createRgbImage, type RgbImage } from "@leukoflow/imaging";

type Vector3 = readonly [number, number, number];
type Matrix3 = readonly [Vector3, Vector3, Vector3];

/** Optical densities (R, G, B) of a unit of haematoxylin, eosin and DAB: Ruifrok & Johnston's stain vectors, as scikit-image uses them. */
const RGB_FROM_HED: Matrix3 = [
  [0.65, 0.7, 0.29],
  [0.07, 0.99, 0.11],
  [0.27, 0.57, 0.78],
];
const HED_FROM_RGB = invert(RGB_FROM_HED);

/** How much of each stain a perturbation keeps (`scale`) and adds (`shift`, in optical-density units), per stain H, E, D. */
export interface HedPerturbation {
  scale: Vector3;
  shift: Vector3;
}

/**
 * Tellez et al.'s HED augmentation: unmix each pixel's optical density into haematoxylin, eosin
 * and DAB amounts, scale and shift each amount, and mix back. It models another lab's staining
 * protocol (more or less of one dye) rather than a change of lamp colour. The identity
 * perturbation (scale 1, shift 0) leaves the image unchanged up to rounding.
 */
export function jitterHed(image: RgbImage, { scale, shift }: HedPerturbation): RgbImage {
  const density = Float64Array.from({ length: 256 }, (_, value) => -Math.log((value + 1) / 256));
  const out = createRgbImage(image.width, image.height);
  const { data } = image;
  for (let i = 0; i < data.length; i += 3) {
    const od = [density[data[i]!]!, density[data[i + 1]!]!, density[data[i + 2]!]!] as const;
    const stains: Vector3 = [0, 1, 2].map((s) => mix(od, HED_FROM_RGB, s) * scale[s]! + shift[s]!) as [
      number,
      number,
      number,
    ];
    for (let c = 0; c < 3; c += 1) {
      const mixed = mix(stains, RGB_FROM_HED, c);
      const value = Math.round(256 * Math.exp(-mixed) - 1);
      out.data[i + c] = value <= 0 ? 0 : value >= 255 ? 255 : value;
    }
  }
  return out;
}

/** Component `column` of the row vector `v` times `m`. */
function mix(v: Vector3, m: Matrix3, column: number): number {
  return v[0] * m[0][column]! + v[1] * m[1][column]! + v[2] * m[2][column]!;
}

function invert(m: Matrix3): Matrix3 {
  const [[a, b, c], [d, e, f], [g, h, k]] = m;
  const det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  return [
    [(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det],
    [(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}
