import * as tf from "@tensorflow/tfjs";
import type { KerasH5Model } from "./read-keras-h5.js";

/**
 * Builds the tfjs LayersModel of a Keras model file and sets every layer's weights from it, by
 * layer name and in Keras' per-layer order (the order tfjs layers create theirs in).
 */
export async function kerasToTfjs(keras: KerasH5Model): Promise<tf.LayersModel> {
  const model = await tf.models.modelFromJSON({
    modelTopology: keras.modelConfig as unknown as tf.io.ModelJSON["modelTopology"],
  });
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const saved = keras.layerWeights.get(layer.name);
    if (!saved || saved.length !== layer.weights.length) {
      throw new Error(
        `layer ${layer.name}: the file has ${saved?.length ?? 0} weights, the model expects ${layer.weights.length}`,
      );
    }
    const tensors = saved.map((w, i) => {
      const expected = layer.weights[i]!.shape;
      if (w.shape.join() !== expected.join())
        throw new Error(`${layer.name}/${w.name}: shape [${w.shape}] in the file, [${expected}] expected`);
      return tf.tensor(w.values, w.shape);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  return model;
}
