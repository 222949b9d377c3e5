import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";

type Pad = "same" | "valid";
interface Case {
  batch: number;
  size: number;
  inChannels: number;
  kernel: number;
  stride: 1 | 2;
  pad: Pad;
  outDepth: number;
}

function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Gradients of Σ(conv(x, w) · r) with respect to x and w, with a fixed random r. */
async function gradients(backend: string, c: Case, depthwise: boolean): Promise<[Float32Array, Float32Array]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(seededValues(c.batch * c.size * c.size * c.inChannels, 1), [
    c.batch,
    c.size,
    c.size,
    c.inChannels,
  ]);
  const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.inChannels, c.outDepth];
  const w = tf.tensor4d(
    seededValues(
      filterShape.reduce((a, b) => a * b),
      2,
    ),
    filterShape,
  );
  const conv = (input: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D =>
    depthwise ? tf.depthwiseConv2d(input, filter, c.stride, c.pad) : tf.conv2d(input, filter, c.stride, c.pad);
  const outShape = conv(x, w).shape;
  const r = tf.tensor(
    seededValues(
      outShape.reduce((a, b) => a * b),
      3,
    ),
    outShape,
  );
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    conv(a as tf.Tensor4D, b as tf.Tensor4D)
      .mul(r)
      .sum(),
  )([x, w]);
  const result: [Float32Array, Float32Array] = [(await dx!.data()) as Float32Array, (await dw!.data()) as Float32Array];
  tf.dispose([x, w, r, dx!, dw!]);
  return result;
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  expected.forEach((value, i) => {
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - value) / Math.max(1, Math.abs(value)));
  });
  return worst;
}

const CASES: Case[] = [
  { batch: 2, size: 9, inChannels: 3, kernel: 3, stride: 1, pad: "same", outDepth: 4 },
  { batch: 2, size: 9, inChannels: 3, kernel: 3, stride: 1, pad: "valid", outDepth: 2 },
  { batch: 3, size: 10, inChannels: 5, kernel: 3, stride: 2, pad: "same", outDepth: 6 },
  { batch: 1, size: 11, inChannels: 4, kernel: 3, stride: 2, pad: "valid", outDepth: 3 },
  { batch: 2, size: 8, inChannels: 2, kernel: 5, stride: 2, pad: "same", outDepth: 2 },
  { batch: 2, size: 7, inChannels: 6, kernel: 1, stride: 1, pad: "valid", outDepth: 1 },
];

describe("wasm gradient kernels match the cpu backend", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  for (const depthwise of [false, true]) {
    for (const c of CASES) {
      const label = `${depthwise ? "depthwise " : ""}k${c.kernel} s${c.stride} ${c.pad} ${c.batch}x${c.size}x${c.size}x${c.inChannels}→${c.outDepth}`;
      it(label, async () => {
        const [cpuDx, cpuDw] = await gradients("cpu", c, depthwise);
        const [wasmDx, wasmDw] = await gradients("wasm", c, depthwise);
        expect(maxRelativeError(wasmDw, cpuDw)).toBeLessThan(1e-4);
        expect(maxRelativeError(wasmDx, cpuDx)).toBeLessThan(1e-4);
      });
    }
  }
});
