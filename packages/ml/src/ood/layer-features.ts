import * as tf from "@tensorflow/tfjs";

/**
 * One image's feature vector at a layer: a spatial activation [n,h,w,k] pooled to its k channel
 * means followed by its k channel standard deviations (colour and texture statistics, which differ
 * between labs and scanners); a flat activation [n,f] as it is.
 */
export function pooledLayerFeatures(activation: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    if (activation.rank === 2) return activation as tf.Tensor2D;
    if (activation.rank !== 4) throw new Error(`cannot pool a rank-${activation.rank} activation`);
    const { mean, variance } = tf.moments(activation, [1, 2]);
    return tf.concat([mean, tf.sqrt(variance)], 1) as tf.Tensor2D;
  });
}

/** The symbolic outputs of the named layers, for building a model that also returns them. */
export function layerOutputs(model: tf.LayersModel, layerNames: readonly string[]): tf.SymbolicTensor[] {
  return layerNames.map((name) => model.getLayer(name).output as tf.SymbolicTensor);
}

/**
 * The layers an OOD score looks at by default: the last spatial layer at each resolution (where
 * a stage ends, before it is pooled) and the penultimate layer that feeds the classifier's Dense.
 * The last resolution is represented by the penultimate features, its global pool.
 */
export function defaultOodLayers(model: tf.LayersModel): string[] {
  const spatial = model.layers.filter(
    (layer) => (layer.outputShape as number[]).length === 4 && layer.getClassName() !== "InputLayer",
  );
  const stageEnds = spatial.filter((layer, i) => {
    const next = spatial[i + 1];
    return next !== undefined && (next.outputShape as number[])[1] !== (layer.outputShape as number[])[1];
  });
  const penultimate = model.layers.at(-1)!.inboundNodes[0]!.inboundLayers[0]!;
  return [...stageEnds.map((layer) => layer.name), penultimate.name];
}

/**
 * pooledLayerFeatures without tensors, for activations another engine returns as plain arrays:
 * the first `count` images of [n,h,w,k] (or [n,k,h,w] when not channelsLast) pooled to channel
 * means then standard deviations; [n,f] rows as they are.
 */
export function pooledFeatureRows(
  data: Float32Array,
  dims: readonly number[],
  count: number,
  channelsLast: boolean,
): Float32Array[] {
  if (dims.length === 2) return Array.from({ length: count }, (_, i) => data.slice(i * dims[1]!, (i + 1) * dims[1]!));
  if (dims.length !== 4) throw new Error(`cannot pool a rank-${dims.length} activation`);
  const channels = channelsLast ? dims[3]! : dims[1]!;
  const size = data.length / dims[0]!;
  const positions = size / channels;
  // Element (p, k) of an image is at p·channels + k channels-last, at k·positions + p otherwise.
  const [positionStride, channelStride] = channelsLast ? [channels, 1] : [1, positions];
  return Array.from({ length: count }, (_, i) => {
    const row = new Float32Array(2 * channels);
    for (let k = 0; k < channels; k++) {
      const start = i * size + k * channelStride;
      let sum = 0;
      for (let p = 0, at = start; p < positions; p++, at += positionStride) sum += data[at]!;
      const mean = sum / positions;
      let squares = 0;
      for (let p = 0, at = start; p < positions; p++, at += positionStride) squares += (data[at]! - mean) ** 2;
      row[k] = mean;
      row[channels + k] = Math.sqrt(squares / positions);
    }
    return row;
  });
}
