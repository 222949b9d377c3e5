import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Tensor } from "onnxruntime-node";
import { readModelMetadata, writeModelMetadata } from "../../model/model-metadata.js";
import { createOnnxSession } from "../../serving/onnx/onnx-session.js";
import {
  ONNX_FILE,
  type InputNormalization,
  type ModelMetadata,
  type OnnxModelSpec,
  type StainNormalization,
} from "@leukoflow/contracts";

export interface ImportOnnxOptions {
  onnxFile: string;
  outDir: string;
  name: string;
  version: string;
  classes: string[];
  malignantClasses: string[];
  inputSize: number;
  layout: OnnxModelSpec["layout"];
  /** What the model was trained on: RGB byte · scale + offset, or (byte · scale − mean) / std per channel. */
  normalization: InputNormalization;
  /** One of the two: the pre-softmax scores, or (a model that gives no logits) the probabilities. */
  logitsOutput?: string;
  probabilitiesOutput?: string;
  /** The penultimate features (an OOD layer; calibrate-ood's default) and the last spatial map (Grad-CAM). */
  featureOutput?: string;
  lastConvOutput?: string;
  stainNormalization?: StainNormalization;
  /** A LeukoFlow model trained on the same split: its held-out ranges and splitOptions let calibrate find the monitor blocks. */
  splitOf?: string;
}

export class OnnxImportError extends Error {
  override readonly name = "OnnxImportError";
}

/**
 * Writes a LeukoFlow model folder around an ONNX classifier trained anywhere (model.onnx and
 * leukoflow-model.json with its onnx block), after checking on one image that the graph takes the
 * stated input and gives the named outputs with the stated classes.
 */
export async function importOnnxModel(
  options: ImportOnnxOptions,
): Promise<Omit<ModelMetadata, "metrics" | "trainingSeconds" | "peakRssMb">> {
  const { classes, inputSize, layout } = options;
  if ((options.logitsOutput === undefined) === (options.probabilitiesOutput === undefined)) {
    throw new OnnxImportError("name exactly one of the logits output and the probabilities output");
  }
  const { session } = await createOnnxSession(await readFile(options.onnxFile), options.onnxFile, { provider: "cpu" });
  try {
    if (session.inputNames.length !== 1)
      throw new OnnxImportError(
        `${options.onnxFile} has inputs ${session.inputNames.join(", ")}; one image input is needed`,
      );
    const [input] = session.inputNames as [string];
    const scores = (options.logitsOutput ?? options.probabilitiesOutput)!;
    const named = [scores, options.featureOutput, options.lastConvOutput].filter(
      (name): name is string => name !== undefined,
    );
    const missing = named.filter((name) => !session.outputNames.includes(name));
    if (missing.length > 0)
      throw new OnnxImportError(
        `${options.onnxFile} has no output ${missing.join(", ")}; its outputs are ${session.outputNames.join(", ")}`,
      );
    const dims = layout === "NHWC" ? [1, inputSize, inputSize, 3] : [1, 3, inputSize, inputSize];
    const results = await session
      .run({ [input]: new Tensor("float32", new Float32Array(3 * inputSize ** 2), dims) }, named)
      .catch((error: Error) => {
        throw new OnnxImportError(
          `${options.onnxFile} does not run on a ${layout} [${dims.join(", ")}] input: ${error.message.split("\n")[0]}`,
        );
      });
    if (results[scores]!.dims.join() !== `1,${classes.length}`)
      throw new OnnxImportError(
        `${scores} is [${results[scores]!.dims.join(", ")}], not one score per class (${classes.length})`,
      );
    if (options.featureOutput && results[options.featureOutput]!.dims.length !== 2)
      throw new OnnxImportError(`${options.featureOutput} is not a [N, F] feature output`);
    if (options.lastConvOutput && results[options.lastConvOutput]!.dims.length !== 4)
      throw new OnnxImportError(`${options.lastConvOutput} is not a spatial [N, …] map`);

    const split = options.splitOf ? await readModelMetadata(options.splitOf) : undefined;
    const onnx: OnnxModelSpec = {
      file: ONNX_FILE,
      input,
      layout,
      ...(options.logitsOutput ? { logits: options.logitsOutput } : { probabilities: options.probabilitiesOutput! }),
      lastConv: options.lastConvOutput ?? null,
      features: options.featureOutput ?? null,
      layerOutputs: {},
    };
    // Like import-keras: no metrics until `leukoflow evaluate` measures them here.
    const meta = {
      name: options.name,
      version: options.version,
      architecture: "onnx",
      task: classes.length === 4 ? "all-subtype-4class" : `${classes.length}-class`,
      classes,
      malignantClasses: options.malignantClasses,
      inputSize,
      stainNormalization: options.stainNormalization ?? "none",
      normalization: options.normalization,
      onnx,
      importedFrom: { file: path.basename(options.onnxFile) },
      validation: split?.validation ?? {
        dataset: "not evaluated by LeukoFlow: run leukoflow evaluate on held-out data",
        split: "unknown (trained outside LeukoFlow)",
        images: 0,
        heldOutRanges: [],
      },
      ...(split?.splitOptions ? { splitOptions: split.splitOptions } : {}),
    };
    await mkdir(options.outDir, { recursive: true });
    await copyFile(options.onnxFile, path.join(options.outDir, ONNX_FILE));
    await writeModelMetadata(options.outDir, meta);
    return meta;
  } finally {
    await session.release();
  }
}
