import { Option, type Command } from "commander";
import {
  DEFAULT_ONNX_THREADS,
  INFERENCE_ENGINES,
  ONNX_PROVIDERS,
  selectServingEngine,
  type InferenceEngine,
  type OnnxProviderPreference,
} from "@leukoflow/ml";

export interface ServingEngineFlags {
  engine: InferenceEngine;
  provider: OnnxProviderPreference;
  threads: string;
}

/** --engine, --provider and --threads, as the inference worker's INFERENCE_ENGINE, INFERENCE_PROVIDER and INFERENCE_THREADS. */
export function withServingEngineOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--engine <engine>",
        "what runs the forward passes: ONNX Runtime (model.onnx; tfjs for a model without one) or tfjs",
      )
        .choices(INFERENCE_ENGINES)
        .default("onnx"),
    )
    .addOption(
      new Option("--provider <name>", "ONNX Runtime execution provider: auto (cuda, else cpu), tensorrt, cuda or cpu")
        .choices(ONNX_PROVIDERS)
        .default("auto"),
    )
    .option("--threads <n>", "ONNX Runtime intra-op threads on the cpu provider", String(DEFAULT_ONNX_THREADS));
}

/** Every model the command loads from here on runs on the engine the flags name. */
export function selectServingEngineFromFlags(
  flags: ServingEngineFlags,
  log: (line: string) => void = (line) => console.error(line),
): void {
  const threads = Number(flags.threads);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`--threads must be a positive integer, not "${flags.threads}"`);
  selectServingEngine({ engine: flags.engine, provider: flags.provider, threads, log });
}
