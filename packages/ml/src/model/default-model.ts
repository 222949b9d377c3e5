import { readFileSync } from "node:fs";
import path from "node:path";

/** `<models>/default.json` names the model or ensemble folder the pipeline serves by default. */
export function defaultModelDir(modelsDir: string): string {
  const { model } = JSON.parse(readFileSync(path.join(modelsDir, "default.json"), "utf8")) as { model: string };
  return path.join(modelsDir, model);
}
