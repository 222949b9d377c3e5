import * as tf from "@tensorflow/tfjs";

/** none: the image alone; flips: + horizontal, vertical and both (rot180); dihedral: all 8 flips and 90° rotations. */
export type TtaMode = "none" | "flips" | "dihedral";
export const TTA_MODES: readonly TtaMode[] = ["none", "flips", "dihedral"];

type Variant = (x: tf.Tensor4D) => tf.Tensor4D;
const identity: Variant = (x) => x;
const flipH: Variant = (x) => tf.reverse(x, 2);
const flipV: Variant = (x) => tf.reverse(x, 1);
const transpose: Variant = (x) => tf.transpose(x, [0, 2, 1, 3]);

const VARIANTS: Record<TtaMode, Variant[]> = {
  none: [identity],
  flips: [identity, flipH, flipV, (x) => flipH(flipV(x))],
  dihedral: [
    identity,
    flipH,
    flipV,
    (x) => flipH(flipV(x)),
    transpose,
    (x) => flipH(transpose(x)),
    (x) => flipV(transpose(x)),
    (x) => flipH(flipV(transpose(x))),
  ],
};

export function ttaVariantCount(mode: TtaMode): number {
  return VARIANTS[mode].length;
}

/** [n,h,w,c] → [k·n,h,w,c]: the k variants of the batch one after another (variant-major). Square images only. */
export function stackTtaVariants(batch: tf.Tensor4D, mode: TtaMode): tf.Tensor4D {
  const variants = VARIANTS[mode];
  return variants.length === 1
    ? batch.clone()
    : tf.concat(
        variants.map((variant) => variant(batch)),
        0,
      );
}

/** [k·n,c] in stackTtaVariants order → [n,c], the mean over the k variants. */
export function meanOverVariants(rows: tf.Tensor2D, mode: TtaMode): tf.Tensor2D {
  const k = ttaVariantCount(mode);
  const [total, columns] = rows.shape;
  return tf.mean<tf.Tensor2D>(tf.reshape(rows, [k, total / k, columns]), 0);
}

/** For output pixel (y, x) of a side-s image, the input pixel each variant takes: the same VARIANTS, as coordinates. */
type SourcePixel = (y: number, x: number, s: number) => [number, number];
const SOURCE_PIXELS: Record<TtaMode, SourcePixel[]> = {
  none: [(y, x) => [y, x]],
  flips: [
    (y, x) => [y, x],
    (y, x, s) => [y, s - 1 - x],
    (y, x, s) => [s - 1 - y, x],
    (y, x, s) => [s - 1 - y, s - 1 - x],
  ],
  dihedral: [
    (y, x) => [y, x],
    (y, x, s) => [y, s - 1 - x],
    (y, x, s) => [s - 1 - y, x],
    (y, x, s) => [s - 1 - y, s - 1 - x],
    (y, x) => [x, y],
    (y, x, s) => [s - 1 - x, y],
    (y, x, s) => [x, s - 1 - y],
    (y, x, s) => [s - 1 - x, s - 1 - y],
  ],
};

/** Per variant, the source offset (in elements) of each output pixel of a side-`size` image; made once per shape. */
const sourceOffsetTables = new Map<string, Int32Array[]>();
function sourceOffsets(mode: TtaMode, size: number, channels: number): Int32Array[] {
  const key = `${mode}:${size}:${channels}`;
  let tables = sourceOffsetTables.get(key);
  if (!tables) {
    tables = SOURCE_PIXELS[mode].map((source) => {
      const offsets = new Int32Array(size * size);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const [sy, sx] = source(y, x, size);
          offsets[y * size + x] = (sy * size + sx) * channels;
        }
      }
      return offsets;
    });
    sourceOffsetTables.set(key, tables);
  }
  return tables;
}

/**
 * stackTtaVariants on a plain NHWC float array of n square images with c channels, for engines
 * that take arrays: the k variants of the batch one after another, [k·n, s, s, c].
 */
export function stackTtaVariantPixels(
  pixels: Float32Array,
  n: number,
  size: number,
  channels: number,
  mode: TtaMode,
): Float32Array {
  const tables = sourceOffsets(mode, size, channels);
  if (tables.length === 1) return pixels;
  const imageLength = size * size * channels;
  const out = new Float32Array(tables.length * pixels.length);
  out.set(pixels); // the first variant is the batch itself
  for (let v = 1; v < tables.length; v++) {
    const offsets = tables[v]!;
    for (let i = 0; i < n; i++) {
      const from = i * imageLength;
      let to = (v * n + i) * imageLength;
      for (let p = 0; p < offsets.length; p++) {
        const at = from + offsets[p]!;
        for (let c = 0; c < channels; c++) out[to++] = pixels[at + c]!;
      }
    }
  }
  return out;
}
