import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterConfig } from "./conv2d-backprop-filter.js";
import { conv2DBackpropInputConfig } from "./conv2d-backprop-input.js";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise-conv2d-backprop-filter.js";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise-conv2d-backprop-input.js";
import { fusedBatchNormGradConfig } from "./fused-batch-norm-gradient.js";

/** Kernels tfjs-backend-wasm 4.22 lacks, plus Conv2DBackpropInput, whose wasm version is slow. */
const WASM_GRADIENT_KERNELS = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

let registered = false;

/** Also swaps in a cheaper FusedBatchNorm gradient (global, but numerically the same on every backend). */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  for (const config of WASM_GRADIENT_KERNELS) {
    if (tf.getKernel(config.kernelName, "wasm") !== undefined) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  tf.registerGradient(fusedBatchNormGradConfig);
  registered = true;
}
