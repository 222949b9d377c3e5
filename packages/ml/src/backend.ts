import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "./kernels/register-wasm-gradient-kernels.js";

export type BackendPreference = "auto" | "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
export type BackendLog = (message: string) => void;

type Candidate = Exclude<BackendPreference, "auto">;
const FALLBACK_ORDER: readonly Candidate[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

const logToStderr: BackendLog = (message) => process.stderr.write(`${message}\n`);

/** Specifiers held in variables so TypeScript does not require the optional packages to exist. */
const NATIVE_PACKAGES: Record<"tensorflow-gpu" | "tensorflow", string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

let wasmPathsSet = false;
let selected: string | undefined;

function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
}

async function activate(candidate: Candidate): Promise<void> {
  if (candidate === "tensorflow-gpu" || candidate === "tensorflow") {
    // Without this TensorFlow reserves nearly all GPU memory at start-up.
    if (candidate === "tensorflow-gpu") process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= "true";
    await import(NATIVE_PACKAGES[candidate]);
    if (!(await tf.setBackend("tensorflow"))) throw new Error("tensorflow backend failed to initialise");
    return;
  }
  if (candidate === "wasm" && !wasmPathsSet) {
    setWasmPaths(`${wasmDistDir()}${path.sep}`);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(candidate))) throw new Error(`${candidate} backend failed to initialise`);
  if (candidate === "wasm") registerWasmGradientKernels();
}

/**
 * Activates the fastest backend available, starting at `preference` and falling back in the order
 * tfjs-node-gpu → tfjs-node → wasm → cpu. Returns the tfjs name of the backend now active.
 */
export async function selectBackend(
  preference: BackendPreference = "auto",
  log: BackendLog = logToStderr,
): Promise<string> {
  const start = preference === "auto" ? 0 : FALLBACK_ORDER.indexOf(preference);
  for (const candidate of FALLBACK_ORDER.slice(start)) {
    try {
      await activate(candidate);
      await tf.ready();
      log(`tfjs backend: ${tf.getBackend()} (${candidate})`);
      selected = tf.getBackend();
      return selected;
    } catch (error) {
      if (candidate !== "cpu") log(`tfjs backend ${candidate} unavailable: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error("no tfjs backend could be initialised");
}

/** Keeps a backend chosen earlier by selectBackend; otherwise selects one. */
export async function ensureBackend(
  preference: BackendPreference = "auto",
  log: BackendLog = logToStderr,
): Promise<string> {
  return selected !== undefined && selected === tf.getBackend() ? selected : selectBackend(preference, log);
}
