import * as tf from "@tensorflow/tfjs";
import { runWasmKernel } from "./run-wasm-kernel.js";

/** Zero-pads the spatial dims of an NHWC tensor by a convolution's computed padding. */
export function padForConv(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { top, bottom, left, right } = info.padInfo;
  const paddings = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  return runWasmKernel(backend, "PadV2", { x }, { paddings, constantValue: 0 });
}

/**
 * The input values that kernel tap (kh, kw) multiplies at every output position:
 * `padded[b, oh*sh + kh*dh, ow*sw + kw*dw, c]`, shape [batch, outHeight, outWidth, channels].
 */
export function windowAtOffset(
  backend: tf.KernelBackend,
  padded: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  kh: number,
  kw: number,
): tf.TensorInfo {
  const top = kh * info.dilationHeight;
  const left = kw * info.dilationWidth;
  const channels = padded.shape[3] ?? 0;
  return runWasmKernel(
    backend,
    "StridedSlice",
    { x: padded },
    {
      begin: [0, top, left, 0],
      end: [
        info.batchSize,
        top + (info.outHeight - 1) * info.strideHeight + 1,
        left + (info.outWidth - 1) * info.strideWidth + 1,
        channels,
      ],
      strides: [1, info.strideHeight, info.strideWidth, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    },
  );
}
