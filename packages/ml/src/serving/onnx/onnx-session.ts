import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { InferenceSession } from "onnxruntime-node";

export const ONNX_PROVIDERS = ["auto", "tensorrt", "cuda", "cpu"] as const;
/** auto: cuda, else cpu. tensorrt (which builds an engine per batch shape when a session starts) only when asked, falling back to cuda, then cpu. */
export type OnnxProviderPreference = (typeof ONNX_PROVIDERS)[number];
type Provider = Exclude<OnnxProviderPreference, "auto">;
const FALLBACK_ORDER: readonly Provider[] = ["tensorrt", "cuda", "cpu"];

export interface OnnxSessionOptions {
  provider?: OnnxProviderPreference;
  /** CPU provider's intra-op threads; see docs/benchmarks.md for the default. */
  threads?: number;
  /** Whether idle intra-op threads spin before sleeping (lower latency, CPU burnt while waiting). */
  spinWait?: boolean;
  log?: (message: string) => void;
}

export const DEFAULT_ONNX_THREADS = 1;

export class OnnxModelLoadError extends Error {
  override readonly name = "OnnxModelLoadError";
}

/**
 * Whether onnxruntime-node's install step put the provider's library beside its binding (it does
 * with ONNXRUNTIME_NODE_INSTALL=cuda12, which brings both CUDA and TensorRT providers).
 */
function gpuProviderInstalled(provider: "cuda" | "tensorrt"): boolean {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
  return existsSync(
    path.join(packageDir, "bin", "napi-v6", process.platform, process.arch, `libonnxruntime_providers_${provider}.so`),
  );
}

/** A session on the first provider of the preference order that loads the model; `label` names it in errors. */
export async function createOnnxSession(
  model: Uint8Array,
  label: string,
  options: OnnxSessionOptions = {},
): Promise<{ session: InferenceSession; provider: Provider }> {
  const { provider = "auto", threads = DEFAULT_ONNX_THREADS, spinWait = false, log = () => {} } = options;
  const order = FALLBACK_ORDER.slice(provider === "auto" ? 1 : FALLBACK_ORDER.indexOf(provider));
  for (const candidate of order) {
    if (candidate !== "cpu" && !gpuProviderInstalled(candidate)) {
      if (provider !== "auto")
        log(`onnx provider ${candidate} is not installed (ONNXRUNTIME_NODE_INSTALL=cuda12 at npm install)`);
      continue;
    }
    try {
      const session = await InferenceSession.create(model, {
        executionProviders: [candidate],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
        extra: { "session.intra_op.allow_spinning": spinWait ? "1" : "0" },
      });
      return { session, provider: candidate };
    } catch (error) {
      const reason = (error as Error).message.split("\n")[0];
      if (candidate === "cpu") throw new OnnxModelLoadError(`${label} does not load in ONNX Runtime: ${reason}`);
      log(`onnx provider ${candidate} unavailable: ${reason}`);
    }
  }
  throw new OnnxModelLoadError(`${label}: no ONNX Runtime provider`);
}
