import * as tf from "@tensorflow/tfjs";

interface NormalizationArgs {
  name?: string;
}

/**
 * Keras' preprocessing Normalization over the channel axis: (x − mean) / √variance with mean,
 * variance and count as non-trainable weights (7 parameters for RGB). EfficientNet starts with
 * one; it is the identity until weights (e.g. imported from Keras) set it.
 */
export class Normalization extends tf.layers.Layer {
  static readonly className = "Normalization";
  private mean!: tf.LayerVariable;
  private variance!: tf.LayerVariable;

  constructor(args: NormalizationArgs = {}) {
    super({ name: args.name });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = (inputShape as tf.Shape).at(-1)!;
    this.mean = this.addWeight("mean", [channels], "float32", tf.initializers.zeros(), undefined, false);
    this.variance = this.addWeight("variance", [channels], "float32", tf.initializers.ones(), undefined, false);
    this.addWeight("count", [], "float32", tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => tf.div(tf.sub(x, this.mean.read()), tf.sqrt(tf.maximum(this.variance.read(), 1e-7))));
  }
}
tf.serialization.registerClass(Normalization);
