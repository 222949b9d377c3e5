import path from "node:path";
import { Option, type Command } from "commander";
import { importOnnxModel } from "@leukoflow/ml";
import { MODELS_DIR } from "../paths.js";
import { stainNormalizationOption } from "../stain-normalization-option.js";
import { ALL_SUBTYPES, SUBTYPE_LABELS, type InputNormalization, type StainNormalization } from "@leukoflow/contracts";

interface ImportOnnxFlags {
  classes: string;
  malignant: string;
  inputSize: string;
  layout: "NHWC" | "NCHW";
  scale: string;
  offset: string;
  mean?: string;
  std?: string;
  logitsOutput?: string;
  probabilitiesOutput?: string;
  featureOutput?: string;
  lastConvOutput?: string;
  name: string;
  version: string;
  out?: string;
  splitOf?: string;
  stainNormalization: StainNormalization;
}

const triple = (flag: string, value: string): [number, number, number] => {
  const numbers = value.split(",").map(Number);
  if (numbers.length !== 3 || numbers.some((n) => !Number.isFinite(n)))
    throw new Error(`${flag} takes three numbers r,g,b, not "${value}"`);
  return numbers as [number, number, number];
};

function normalizationOf(flags: ImportOnnxFlags): InputNormalization {
  const scale = Number(flags.scale);
  if ((flags.mean === undefined) !== (flags.std === undefined)) throw new Error("--mean and --std go together");
  if (flags.mean === undefined || flags.std === undefined)
    return { scale, offset: Number(flags.offset), description: `RGB bytes (HWC) · ${scale} + ${flags.offset}` };
  return {
    scale,
    mean: triple("--mean", flags.mean),
    std: triple("--std", flags.std),
    description: `(RGB bytes · ${scale} − [${flags.mean}]) / [${flags.std}]`,
  };
}

/** `models import-onnx`: a classifier trained anywhere (PyTorch's usual export) as a LeukoFlow model folder. */
export function registerImportOnnxCommand(models: Command): void {
  models
    .command("import-onnx <model.onnx>")
    .description(
      "write a LeukoFlow model folder (model.onnx + leukoflow-model.json) around an ONNX classifier; calibrate, publish and serve it like a shipped model",
    )
    .requiredOption("--name <name>", "model name")
    .requiredOption("--version <version>", "model version")
    .requiredOption("--input-size <n>", "side of the square RGB input")
    .option("--out <dir>", "model folder (default models/<name>)")
    .option("--classes <list>", "output classes in the model's order", SUBTYPE_LABELS.join(","))
    .option("--malignant <list>", "which of them are malignant", ALL_SUBTYPES.join(","))
    .addOption(
      new Option("--layout <layout>", "input layout: NCHW (PyTorch) or NHWC").choices(["NHWC", "NCHW"]).default("NCHW"),
    )
    .option(
      "--scale <number>",
      "input = RGB byte · scale + offset, or with --mean/--std (byte · scale − mean) / std per channel",
      String(1 / 255),
    )
    .option("--offset <number>", "see --scale", "0")
    .option("--mean <r,g,b>", "per-channel mean subtracted after scaling (PyTorch's Normalize)")
    .option("--std <r,g,b>", "per-channel standard deviation divided by after that")
    .option("--logits-output <name>", "the output of pre-softmax class scores")
    .option("--probabilities-output <name>", "for a model without a logits output: its softmax output")
    .option("--feature-output <name>", "the penultimate features [N, F] (calibrate-ood's default, Grad-CAM's check)")
    .option("--last-conv-output <name>", "the last spatial map, in --layout (Grad-CAM)")
    .option("--split-of <model dir>", "a LeukoFlow model trained on the same split: calibrate uses its monitor blocks")
    .addOption(stainNormalizationOption("colour normalization its training images had"))
    .action(async (file: string, flags: ImportOnnxFlags) => {
      const outDir = path.resolve(flags.out ?? path.join(MODELS_DIR, flags.name));
      const meta = await importOnnxModel({
        onnxFile: path.resolve(file),
        outDir,
        name: flags.name,
        version: flags.version,
        classes: flags.classes.split(","),
        malignantClasses: flags.malignant.split(",").filter(Boolean),
        inputSize: Number(flags.inputSize),
        layout: flags.layout,
        normalization: normalizationOf(flags),
        logitsOutput: flags.logitsOutput,
        probabilitiesOutput: flags.probabilitiesOutput,
        featureOutput: flags.featureOutput,
        lastConvOutput: flags.lastConvOutput,
        splitOf: flags.splitOf && path.resolve(flags.splitOf),
        stainNormalization: flags.stainNormalization,
      });
      console.log(
        `${meta.name}@${meta.version}: ${meta.inputSize}×${meta.inputSize} ${flags.layout} input, written to ${outDir}; run leukoflow evaluate --model ${outDir} --data <held-out folder> before serving it`,
      );
    });
}
