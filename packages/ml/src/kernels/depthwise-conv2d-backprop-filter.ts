import * as tf from "@tensorflow/tfjs";
import { padForConv, windowAtOffset } from "./conv-window.js";
import { release, reshapeKernel, runWasmKernel } from "./run-wasm-kernel.js";

type Shape4 = [number, number, number, number];

/** dW[kh, kw, c, m] = Σ_{b,oh,ow} window(kh, kw)[b, oh, ow, c] · dy[b, oh, ow, c·M + m]. */
const depthwiseConv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend: untypedBackend, attrs }) => {
  const backend = untypedBackend as tf.KernelBackend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
    "channelsLast",
  );
  const [, , channels, multiplier] = filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const padded = padForConv(backend, x, info);
  const dyRows = reshapeKernel(backend, dy, [rows, channels, multiplier]);
  const taps: tf.TensorInfo[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const window = windowAtOffset(backend, padded, info, kh, kw);
      const windowRows = reshapeKernel(backend, window, [rows, channels, 1]);
      const products = runWasmKernel(backend, "Multiply", { a: windowRows, b: dyRows });
      taps.push(runWasmKernel(backend, "Sum", { x: products }, { axis: [0], keepDims: false }));
      release(backend, window, windowRows, products);
    }
  }
  const stacked = runWasmKernel(backend, "Concat", taps, { axis: 0 });
  const dW = reshapeKernel(backend, stacked, filterShape);
  release(backend, padded, dyRows, stacked, ...taps);
  return dW;
};

export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: "wasm",
  kernelFunc: depthwiseConv2dBackpropFilter,
};
