import { runUntilSignalled } from "@leukoflow/shared";
import { loadIngestEnv } from "./env.js";
import { startIngest } from "./start.js";

await runUntilSignalled("ingest", () => startIngest(loadIngestEnv()));
