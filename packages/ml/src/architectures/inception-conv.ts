import { convBn, type Padding, type Tensor } from "./blocks.js";

/** Keras' inception_v3.conv2d_bn: conv without bias → BN without gamma → ReLU. */
export function conv(
  x: Tensor,
  filters: number,
  rows: number,
  cols: number,
  strides = 1,
  padding: Padding = "same",
  activation: "relu" | null = "relu",
): Tensor {
  return convBn(x, { filters, kernelSize: [rows, cols], strides, padding, bnScale: false, activation });
}

/** Convs applied one after another, each [filters, rows, cols]. */
export const chain = (x: Tensor, steps: [number, number, number][]): Tensor =>
  steps.reduce((y, [filters, rows, cols]) => conv(y, filters, rows, cols), x);
