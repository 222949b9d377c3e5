import sharp from "sharp";
import { seededRandom } from "@leukoflow/imaging";

/** Images no microscope produced, for checking that the OOD score flags them. */
export const SYNTHETIC_KINDS = ["noise", "solid", "gradient", "checkerboard", "stripes", "text", "texture"] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export interface SyntheticImage {
  /** e.g. "checkerboard-003.png" */
  name: string;
  kind: SyntheticKind;
  png: Buffer;
}

type Rgb = [number, number, number];
type Random = () => number;

const randomColour = (random: Random): Rgb => [0, 0, 0].map(() => Math.floor(random() * 256)) as Rgb;

function paint(size: number, colourAt: (x: number, y: number) => Rgb): Uint8Array {
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels.set(colourAt(x, y), (y * size + x) * 3);
  return pixels;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * t)) as Rgb;

/** Dark word-like bars in lines on a light page, like printed text, drawn without fonts. */
function textPage(random: Random, size: number): Uint8Array {
  const ink = mix([0, 0, 0], randomColour(random), 0.3);
  const page = mix([255, 255, 255], randomColour(random), 0.1);
  const pixels = paint(size, () => page);
  const lineHeight = 10 + Math.floor(random() * 14);
  for (let top = 6; top + lineHeight < size; top += lineHeight) {
    const glyphHeight = Math.ceil(lineHeight * 0.6);
    for (let x = 6; x < size - 6;) {
      const glyph = 2 + Math.floor(random() * 6);
      if (random() < 0.15)
        x += glyph * 2; // a space between words
      else
        for (let gy = 0; gy < glyphHeight; gy++)
          for (let gx = 0; gx < glyph - 1 && x + gx < size; gx++) {
            if (random() < 0.7) pixels.set(ink, ((top + gy) * size + x + gx) * 3);
          }
      x += glyph;
    }
  }
  return pixels;
}

const OCTAVE_WEIGHTS = 1 + 1 / 2 + 1 / 4 + 1 / 8 + 1 / 16;

/** Fractal value noise: random grids of 4…64 cells upscaled smoothly by sharp and summed with weights ∝ 1/frequency, as in natural images; then tinted. */
async function texture(random: Random, size: number): Promise<Uint8Array> {
  const sum = new Float64Array(size * size);
  for (const cells of [4, 8, 16, 32, 64]) {
    const grid = Uint8Array.from({ length: cells * cells }, () => Math.floor(random() * 256));
    const smooth = await sharp(grid, { raw: { width: cells, height: cells, channels: 1 } })
      .resize(size, size, { kernel: "cubic" })
      .raw()
      .toBuffer();
    smooth.forEach((value, i) => (sum[i]! += (value * 4) / cells / OCTAVE_WEIGHTS));
  }
  const [dark, light] = [randomColour(random), randomColour(random)];
  return paint(size, (x, y) => mix(dark, light, Math.min(1, sum[y * size + x]! / 255)));
}

const PAINTERS: Record<SyntheticKind, (random: Random, size: number) => Uint8Array | Promise<Uint8Array>> = {
  noise: (random, size) => Uint8Array.from({ length: size * size * 3 }, () => Math.floor(random() * 256)),
  solid: (random, size) => {
    const colour = randomColour(random);
    return paint(size, () => colour);
  },
  gradient: (random, size) => {
    const [from, to, angle] = [randomColour(random), randomColour(random), random() * Math.PI];
    const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
    return paint(size, (x, y) => mix(from, to, Math.abs((x * dx + y * dy) / (size * Math.SQRT2))));
  },
  checkerboard: (random, size) => {
    const [a, b, cell] = [randomColour(random), randomColour(random), 4 + Math.floor(random() * 40)];
    return paint(size, (x, y) => ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? a : b));
  },
  stripes: (random, size) => {
    const [a, b, period, angle] = [
      randomColour(random),
      randomColour(random),
      6 + Math.floor(random() * 40),
      random() * Math.PI,
    ];
    return paint(size, (x, y) => (Math.floor((x * Math.cos(angle) + y * Math.sin(angle)) / period) % 2 === 0 ? a : b));
  },
  text: textPage,
  texture,
};

/** `perKind` PNGs of each kind, size × size, the same for the same seed. */
export async function syntheticNonSmearImages(perKind: number, seed = 1, size = 224): Promise<SyntheticImage[]> {
  const images: SyntheticImage[] = [];
  for (const [k, kind] of SYNTHETIC_KINDS.entries()) {
    const random = seededRandom(seed * 7919 + k);
    for (let i = 0; i < perKind; i++) {
      const pixels = await PAINTERS[kind](random, size);
      const png = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toBuffer();
      images.push({ name: `${kind}-${String(i).padStart(3, "0")}.png`, kind, png });
    }
  }
  return images;
}
