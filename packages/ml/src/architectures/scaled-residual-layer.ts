import * as tf from "@tensorflow/tfjs";

interface ScaledResidualArgs {
  scale: number;
  name?: string;
}

/** x + scale · residual, as Keras' InceptionResNetV2 CustomScaleLayer (earlier a Lambda); no weights. */
export class ScaledResidual extends tf.layers.Layer {
  static readonly className = "CustomScaleLayer";
  readonly scale: number;

  constructor(args: ScaledResidualArgs) {
    super({ name: args.name });
    this.scale = args.scale;
  }

  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[0]!;
  }

  override call(inputs: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(inputs[0]!, tf.mul(inputs[1]!, this.scale)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}
tf.serialization.registerClass(ScaledResidual);
