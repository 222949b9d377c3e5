import { InferenceSession } from "onnxruntime-node";

export const ONNX_PROVIDERS = ["auto", "tensorrt", "cuda", "cpu"] as const;
/** auto tries tensorrt, then cuda, then cpu. */
export type OnnxProviderPreference = (typeof ONNX_PROVIDERS)[number];
type Provider = Exclude<OnnxProviderPreference, "auto">;

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

/** A session on the first provider of the preference order that loads the model; `label` names it in errors. */
export async function createOnnxSession(
  model: Uint8Array,
  label: string,
  options: OnnxSessionOptions = {},
): Promise<{ session: InferenceSession; provider: Provider }> {
  const { provider = "auto", threads = DEFAULT_ONNX_THREADS, spinWait = false, log = () => {} } = options;
  const order: Provider[] = provider === "auto" ? ["tensorrt", "cuda", "cpu"] : [provider, ...(provider === "cpu" ? [] : ["cpu" as const])];
  for (const candidate of order) {
    try {
      const session = await InferenceSession.create(model, {
        executionProviders: [candidate],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
        extra: { session: { intra_op: { allow_spinning: spinWait ? "1" : "0" } } },
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
