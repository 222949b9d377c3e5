import path from "node:path";
import type { Command } from "commander";
import { exportModelOnnx, isEnsembleDir, resolveMembers } from "@leukoflow/ml";

/** The model folders behind a folder: an ensemble's members, else the folder itself. */
async function singleModelDirs(dir: string): Promise<string[]> {
  return isEnsembleDir(dir) ? (await resolveMembers([dir])).map((member) => member.dir) : [dir];
}

/** `models export-onnx`: the ONNX graph ONNX Runtime serves, written beside a model's tfjs files. */
export function registerModelOnnxCommands(models: Command): void {
  models
    .command("export-onnx <dir>")
    .description(
      "write model.onnx beside a model's tfjs files (an ensemble folder: its members') with the outputs serving reads, and record them in leukoflow-model.json's onnx block",
    )
    .action(async (dir: string) => {
      for (const modelDir of await singleModelDirs(path.resolve(dir))) {
        const spec = await exportModelOnnx(modelDir);
        const outputs = [spec.logits, spec.lastConv, spec.features, ...Object.values(spec.layerOutputs)].filter(
          (name) => name != null,
        );
        console.log(`${path.join(modelDir, spec.file)}: outputs ${outputs.join(", ")}`);
      }
    });
}
