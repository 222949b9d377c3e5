import type * as tf from "@tensorflow/tfjs";
import type { ImageNetStyleOptions } from "./blocks.js";
import { buildEfficientNetB0, buildEfficientNetB3 } from "./efficientnet.js";
import { buildInceptionResNetV2 } from "./inception-resnet-v2.js";
import { buildInceptionV3 } from "./inception-v3.js";
import { buildMobileNetV2 } from "./mobilenet-v2.js";
import { buildResNet50 } from "./resnet50.js";
import { buildVgg16, buildVgg19 } from "./vgg.js";
import { buildXception } from "./xception.js";

export interface KerasApplication {
  build: (options: ImageNetStyleOptions) => tf.LayersModel;
  /** Total parameters with the 1000-class top, from the Keras Applications table (keras.io/api/applications). */
  kerasParameters: number;
  /** Keras' default input side, and the smallest it accepts. */
  defaultInputSize: number;
  minInputSize: number;
}

export const KERAS_APPLICATIONS: Record<string, KerasApplication> = {
  ResNet50: { build: buildResNet50, kerasParameters: 25_636_712, defaultInputSize: 224, minInputSize: 32 },
  MobileNetV2: { build: buildMobileNetV2, kerasParameters: 3_538_984, defaultInputSize: 224, minInputSize: 32 },
  EfficientNetB0: { build: buildEfficientNetB0, kerasParameters: 5_330_571, defaultInputSize: 224, minInputSize: 32 },
  // Keras' table says 12,320,535; 12,233,232 is the PyTorch/timm count (no Normalization layer, other SE widths).
  EfficientNetB3: { build: buildEfficientNetB3, kerasParameters: 12_320_535, defaultInputSize: 300, minInputSize: 32 },
  VGG16: { build: buildVgg16, kerasParameters: 138_357_544, defaultInputSize: 224, minInputSize: 32 },
  VGG19: { build: buildVgg19, kerasParameters: 143_667_240, defaultInputSize: 224, minInputSize: 32 },
  Xception: { build: buildXception, kerasParameters: 22_910_480, defaultInputSize: 299, minInputSize: 71 },
  InceptionV3: { build: buildInceptionV3, kerasParameters: 23_851_784, defaultInputSize: 299, minInputSize: 75 },
  InceptionResNetV2: {
    build: buildInceptionResNetV2,
    kerasParameters: 55_873_736,
    defaultInputSize: 299,
    minInputSize: 75,
  },
};
