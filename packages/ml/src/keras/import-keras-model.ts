import path from "node:path";
import { saveModelFiles } from "../model/model-files.js";
import { writeModelMetadata } from "../model/model-metadata.js";
import { kerasToTfjs } from "./keras-to-tfjs.js";
import { readKerasH5 } from "./read-keras-h5.js";
import type { InputNormalization, StainNormalization } from "@leukoflow/contracts";

export interface ImportKerasOptions {
  h5File: string;
  outDir: string;
  name: string;
  version?: string;
  classes: string[];
  malignantClasses: string[];
  /** The preprocessing the Keras model was trained with, as RGB byte · scale + offset. */
  normalization: InputNormalization;
  /** The colour normalization its training images had (default none). */
  stainNormalization?: StainNormalization;
}

/** Converts a Keras HDF5 model into a LeukoFlow model folder (tfjs artifact + leukoflow-model.json). */
export async function importKerasModel(
  options: ImportKerasOptions,
): Promise<{ inputSize: number; parameters: number }> {
  const keras = await readKerasH5(options.h5File);
  const model = await kerasToTfjs(keras);
  try {
    const [, height, width, channels] = model.inputs[0]!.shape;
    if (height !== width || channels !== 3 || typeof height !== "number")
      throw new Error(`expected a square RGB input, the model takes [${model.inputs[0]!.shape.join(", ")}]`);
    const units = model.outputs[0]!.shape.at(-1);
    if (units !== options.classes.length)
      throw new Error(`the model has ${units} outputs but ${options.classes.length} classes were given`);
    const parameters = model.countParams();
    await saveModelFiles(model, options.outDir);
    const metadata = {
      name: options.name,
      version: options.version ?? "1.0.0",
      architecture: `keras:${keras.modelConfig.config.name ?? keras.modelConfig.class_name}`,
      task: options.classes.length === 4 ? "all-subtype-4class" : `${options.classes.length}-class`,
      classes: options.classes,
      malignantClasses: options.malignantClasses,
      inputSize: height,
      stainNormalization: options.stainNormalization ?? "none",
      normalization: options.normalization,
      temperature: 1,
      parameters,
      importedFrom: { file: path.basename(options.h5File), kerasVersion: keras.kerasVersion ?? null },
      validation: {
        dataset: "not evaluated by LeukoFlow: run leukoflow evaluate on held-out data",
        split: "unknown (trained outside LeukoFlow)",
        images: 0,
        heldOutRanges: [],
      },
    };
    await writeModelMetadata(options.outDir, metadata);
    return { inputSize: height, parameters };
  } finally {
    model.dispose();
  }
}
