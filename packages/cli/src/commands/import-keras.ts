import path from "node:path";
import type { Command } from "commander";
import { importKerasModel } from "@leukoflow/ml";
import { MODELS_DIR } from "../paths.js";
import { stainNormalizationOption } from "../stain-normalization-option.js";
import { ALL_SUBTYPES, SUBTYPE_LABELS, type StainNormalization } from "@leukoflow/contracts";

interface ImportKerasFlags {
  name?: string;
  out?: string;
  classes: string;
  malignant: string;
  scale: string;
  offset: string;
  stainNormalization: StainNormalization;
}

export function registerImportKerasCommand(program: Command): void {
  program
    .command("import-keras <model.h5>")
    .description(
      'convert a Keras model saved with model.save("….h5") (topology + weights) into a LeukoFlow model folder',
    )
    .option("--name <name>", "model name (default: the file name)")
    .option("--out <dir>", "model folder (default models/<name>)")
    .option("--classes <list>", "output classes in the model's order", SUBTYPE_LABELS.join(","))
    .option("--malignant <list>", "which of them are malignant", ALL_SUBTYPES.join(","))
    .option(
      "--scale <number>",
      "preprocessing the model was trained with: input = RGB byte · scale + offset",
      String(1 / 255),
    )
    .option("--offset <number>", "see --scale", "0")
    .addOption(stainNormalizationOption("colour normalization its training images had"))
    .action(async (file: string, flags: ImportKerasFlags) => {
      const name = flags.name ?? path.basename(file, path.extname(file));
      const outDir = path.resolve(flags.out ?? path.join(MODELS_DIR, name));
      const [scale, offset] = [Number(flags.scale), Number(flags.offset)];
      const { inputSize, parameters } = await importKerasModel({
        h5File: path.resolve(file),
        outDir,
        name,
        classes: flags.classes.split(","),
        malignantClasses: flags.malignant.split(",").filter(Boolean),
        normalization: { scale, offset, description: `RGB bytes (HWC) · ${scale} + ${offset}` },
        stainNormalization: flags.stainNormalization,
      });
      console.log(
        `${name}: ${parameters} parameters, ${inputSize}×${inputSize} input, written to ${outDir}; run leukoflow evaluate --model ${outDir} --data <held-out folder> before serving it`,
      );
    });
}
