import { runUntilSignalled } from "@leukoflow/shared";
import { loadInferenceEnv } from "./env.js";
import { startInferenceWorker } from "./start.js";

await runUntilSignalled("inference-worker", () => startInferenceWorker(loadInferenceEnv()));
