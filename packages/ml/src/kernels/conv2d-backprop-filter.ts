import * as tf from "@tensorflow/tfjs";
import { release, runWasmKernel } from "./run-wasm-kernel.js";

type Shape4 = [number, number, number, number];

/**
 * dW[kh, kw, ci, co] = Σ_{b,oh,ow} xPadded[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co] is itself
 * a convolution: with ci as the batch, b as the channels and dy as an (outH × outW) filter dilated by
 * the stride, it yields an output of exactly kh × kw. Running it through wasm's XNNPACK Conv2D is
 * an order of magnitude faster than slicing windows and using BatchMatMul.
 */
const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend: untypedBackend, attrs }) => {
  const backend = untypedBackend as tf.KernelBackend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== "NHWC") throw new Error("wasm Conv2DBackpropFilter supports NHWC only");
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const { padInfo, strideHeight, strideWidth, inHeight, inWidth, inChannels, batchSize } = info;
  // Rows and columns of the padded input that some tap reads; trailing ones are never used.
  const usedHeight = (info.outHeight - 1) * strideHeight + info.filterHeight;
  const usedWidth = (info.outWidth - 1) * strideWidth + info.filterWidth;
  const keptHeight = Math.min(inHeight, usedHeight - padInfo.top);
  const keptWidth = Math.min(inWidth, usedWidth - padInfo.left);

  const xChannelsFirst = runWasmKernel(backend, "Transpose", { x }, { perm: [3, 1, 2, 0] });
  const xKept = runWasmKernel(
    backend,
    "Slice",
    { x: xChannelsFirst },
    {
      begin: [0, 0, 0, 0],
      size: [inChannels, keptHeight, keptWidth, batchSize],
    },
  );
  const dyAsFilter = runWasmKernel(backend, "Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
  const perChannel = runWasmKernel(
    backend,
    "Conv2D",
    { x: xKept, filter: dyAsFilter },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padInfo.top, usedHeight - padInfo.top - keptHeight],
        [padInfo.left, usedWidth - padInfo.left - keptWidth],
        [0, 0],
      ],
      dataFormat: "NHWC",
      dilations: [strideHeight, strideWidth],
    },
  );
  const dW = runWasmKernel(backend, "Transpose", { x: perChannel }, { perm: [1, 2, 0, 3] });
  release(backend, xChannelsFirst, xKept, dyAsFilter, perChannel);
  return dW;
};

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilter,
};
