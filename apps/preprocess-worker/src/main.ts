import { runUntilSignalled } from "@leukoflow/shared";
import { loadPreprocessEnv } from "./env.js";
import { startPreprocessWorker } from "./start.js";

await runUntilSignalled("preprocess-worker", () => startPreprocessWorker(loadPreprocessEnv()));
