import h5wasm from "h5wasm/node";

/** What `model.save("model.h5")` (Keras 2 / tf.keras HDF5 format) stores: the topology and, per layer, its weights in order. */
export interface KerasH5Model {
  /** {class_name, config} of the model as Keras serialises it. */
  modelConfig: { class_name: string; config: Record<string, unknown> };
  kerasVersion: string | undefined;
  /** Layer name → its weights in Keras' order (e.g. kernel, bias; gamma, beta, moving mean, moving variance). */
  layerWeights: Map<string, { name: string; shape: number[]; values: Float32Array }[]>;
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === null || value === undefined ? [] : [String(value)];

/** Reads a Keras HDF5 model file: the model_config attribute and the model_weights group. */
export async function readKerasH5(file: string): Promise<KerasH5Model> {
  await h5wasm.ready;
  const h5 = new h5wasm.File(file, "r");
  try {
    const config = h5.attrs.model_config?.json_value;
    if (typeof config !== "string")
      throw new Error(`${file} has no model_config attribute: save the whole model (model.save), not only its weights`);
    const weightsRoot = h5.get("model_weights");
    if (!(weightsRoot instanceof h5wasm.Group)) throw new Error(`${file} has no model_weights group`);
    const layerWeights = new Map<string, { name: string; shape: number[]; values: Float32Array }[]>();
    for (const layerName of asStrings(weightsRoot.attrs.layer_names?.json_value)) {
      const group = weightsRoot.get(layerName);
      if (!(group instanceof h5wasm.Group)) continue;
      const weights = asStrings(group.attrs.weight_names?.json_value).map((weightName) => {
        const dataset = group.get(weightName);
        if (!(dataset instanceof h5wasm.Dataset))
          throw new Error(`weight ${layerName}/${weightName} missing in ${file}`);
        return {
          name: weightName,
          shape: dataset.shape ?? [],
          values: Float32Array.from(dataset.value as ArrayLike<number>),
        };
      });
      layerWeights.set(layerName, weights);
    }
    const kerasVersion = h5.attrs.keras_version?.json_value;
    return {
      modelConfig: JSON.parse(config) as KerasH5Model["modelConfig"],
      kerasVersion: typeof kerasVersion === "string" ? kerasVersion : undefined,
      layerWeights,
    };
  } finally {
    h5.close();
  }
}
