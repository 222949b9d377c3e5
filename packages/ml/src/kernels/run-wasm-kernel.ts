import * as tf from "@tensorflow/tfjs";

type KernelInputs = tf.NamedTensorInfoMap | tf.TensorInfo[];

/**
 * Calls another wasm kernel directly, below the engine, so a missing kernel can be composed from
 * kernels wasm already has without touching the tape or tidy scopes. The result owns one reference
 * to its data; give it back with `release`.
 */
export function runWasmKernel(
  backend: tf.KernelBackend,
  kernelName: string,
  inputs: KernelInputs,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, "wasm");
  if (config === undefined) throw new Error(`wasm has no kernel ${kernelName}`);
  const kernelFunc = config.kernelFunc as (args: {
    inputs: KernelInputs;
    backend: tf.KernelBackend;
    attrs: Record<string, unknown>;
  }) => tf.TensorInfo;
  return kernelFunc({ inputs, backend, attrs });
}

export function release(backend: tf.KernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function reshapeKernel(backend: tf.KernelBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return runWasmKernel(backend, "Reshape", { x }, { shape });
}
