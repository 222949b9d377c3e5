import * as tf from "@tensorflow/tfjs";

export interface LeukoCnnOptions {
  inputSize: number;
  numClasses: number;
  /** Filters of each stage; every stage but the last ends in 2×2 max pooling. */
  stageFilters?: readonly number[];
  convsPerStage?: number;
  dropout?: number;
  seed?: number;
}

export const LEUKO_CNN_NAME = "leuko-cnn";
const DEFAULT_STAGE_FILTERS = [16, 32, 64, 128] as const;

/**
 * A small VGG-style CNN: stages of 3×3 conv → BN → ReLU, max pooling between stages, global
 * average pooling and a softmax head. Convs have no bias because BN's beta replaces it.
 */
export function buildLeukoCnn(options: LeukoCnnOptions): tf.LayersModel {
  const { inputSize, numClasses, convsPerStage = 2, dropout = 0.3, seed = 1 } = options;
  const stageFilters = options.stageFilters ?? DEFAULT_STAGE_FILTERS;
  let layerSeed = seed;
  const initializer = (): ReturnType<typeof tf.initializers.heNormal> =>
    tf.initializers.heNormal({ seed: layerSeed++ });

  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "image" });
  let x: tf.SymbolicTensor = input;
  stageFilters.forEach((filters, stage) => {
    for (let i = 0; i < convsPerStage; i++) {
      const name = `stage${stage + 1}_conv${i + 1}`;
      x = tf.layers
        .conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: initializer(), name })
        .apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.reLU({ name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
    }
    if (stage < stageFilters.length - 1) {
      x = tf.layers.maxPooling2d({ poolSize: 2, name: `stage${stage + 1}_pool` }).apply(x) as tf.SymbolicTensor;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: dropout, seed, name: "dropout" }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({
      units: numClasses,
      activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed }),
      name: "probabilities",
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: LEUKO_CNN_NAME });
}
