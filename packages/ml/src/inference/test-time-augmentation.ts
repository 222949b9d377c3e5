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
    identity, flipH, flipV, (x) => flipH(flipV(x)),
    transpose, (x) => flipH(transpose(x)), (x) => flipV(transpose(x)), (x) => flipH(flipV(transpose(x))),
  ],
};

export function ttaVariantCount(mode: TtaMode): number {
  return VARIANTS[mode].length;
}

/** [n,h,w,c] → [k·n,h,w,c]: the k variants of the batch one after another (variant-major). Square images only. */
export function stackTtaVariants(batch: tf.Tensor4D, mode: TtaMode): tf.Tensor4D {
  const variants = VARIANTS[mode];
  return variants.length === 1 ? batch.clone() : tf.concat(variants.map((variant) => variant(batch)), 0);
}

/** [k·n,c] in stackTtaVariants order → [n,c], the mean over the k variants. */
export function meanOverVariants(rows: tf.Tensor2D, mode: TtaMode): tf.Tensor2D {
  const k = ttaVariantCount(mode);
  const [total, columns] = rows.shape;
  return tf.mean<tf.Tensor2D>(tf.reshape(rows, [k, total / k, columns]), 0);
}
