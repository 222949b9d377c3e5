import type * as tf from "@tensorflow/tfjs";
import { release, reshapeKernel, runWasmKernel } from "./run-wasm-kernel.js";

type Shape4 = [number, number, number, number];

/**
 * Inserts stride−1 zeros after every row and column of an NHWC tensor:
 * out[b, i·sh, j·sw, c] = x[b, i, j, c], shape [b, h·sh, w·sw, c]. This turns a strided
 * convolution's gradient into a stride-1 one.
 */
export function spreadByStride(backend: tf.KernelBackend, x: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [batch, height, width, depth] = x.shape as Shape4;
  if (sh === 1 && sw === 1) return reshapeKernel(backend, x, [batch, height, width, depth]);
  const rows = reshapeKernel(backend, x, [batch, height, 1, width * depth]);
  const rowsSpread = runWasmKernel(
    backend,
    "PadV2",
    { x: rows },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const cols = reshapeKernel(backend, rowsSpread, [batch * height * sh, width, 1, depth]);
  const colsSpread = runWasmKernel(
    backend,
    "PadV2",
    { x: cols },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const spread = reshapeKernel(backend, colsSpread, [batch, height * sh, width * sw, depth]);
  release(backend, rows, rowsSpread, cols, colsSpread);
  return spread;
}
