import * as tf from "@tensorflow/tfjs";
import { release, reshapeKernel, runWasmKernel } from "./run-wasm-kernel.js";
import { spreadByStride } from "./spread-by-stride.js";

type Shape4 = [number, number, number, number];

/**
 * dx is the sum over kernel taps of dy·W[kh, kw] scattered back to the input positions that tap
 * read: spread dy by the stride once, then per tap weight it, shift it by (kh, kw) with zero
 * padding, accumulate on the padded grid, and finally crop the convolution's padding away.
 */
const depthwiseConv2dBackpropInput: tf.KernelFunc = ({ inputs, backend: untypedBackend, attrs }) => {
  const backend = untypedBackend as tf.KernelBackend;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const [filterHeight, filterWidth, channels, multiplier] = filter.shape as Shape4;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
    "channelsLast",
  );
  const { batchSize, inHeight, inWidth, padInfo, dilationHeight: dh, dilationWidth: dw } = info;
  const spread = spreadByStride(backend, dy, info.strideHeight, info.strideWidth);
  const [, spreadH, spreadW] = spread.shape as Shape4;
  const spread5 = reshapeKernel(backend, spread, [batchSize, spreadH, spreadW, channels, multiplier]);
  const gridH = Math.max(inHeight + padInfo.top + padInfo.bottom, (filterHeight - 1) * dh + spreadH);
  const gridW = Math.max(inWidth + padInfo.left + padInfo.right, (filterWidth - 1) * dw + spreadW);

  let grid: tf.TensorInfo | undefined;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const tapWeights = runWasmKernel(
        backend,
        "Slice",
        { x: filter },
        { begin: [kh, kw, 0, 0], size: [1, 1, channels, multiplier] },
      );
      const weights = reshapeKernel(backend, tapWeights, [channels, multiplier]);
      const weighted = runWasmKernel(backend, "Multiply", { a: spread5, b: weights });
      const summed = runWasmKernel(backend, "Sum", { x: weighted }, { axis: [4], keepDims: false });
      const paddings = [
        [0, 0],
        [kh * dh, gridH - kh * dh - spreadH],
        [kw * dw, gridW - kw * dw - spreadW],
        [0, 0],
      ];
      const shifted = runWasmKernel(backend, "PadV2", { x: summed }, { paddings, constantValue: 0 });
      release(backend, tapWeights, weights, weighted, summed);
      if (grid === undefined) {
        grid = shifted;
      } else {
        const next = runWasmKernel(backend, "Add", { a: grid, b: shifted });
        release(backend, grid, shifted);
        grid = next;
      }
    }
  }
  if (grid === undefined) throw new Error("depthwise filter has no taps");
  const dx = runWasmKernel(
    backend,
    "Slice",
    { x: grid },
    {
      begin: [0, padInfo.top, padInfo.left, 0],
      size: [batchSize, inHeight, inWidth, channels],
    },
  );
  release(backend, spread, spread5, grid);
  return dx;
};

export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: "wasm",
  kernelFunc: depthwiseConv2dBackpropInput,
};
