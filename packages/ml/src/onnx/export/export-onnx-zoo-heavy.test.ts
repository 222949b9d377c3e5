import { describeZooOnnxParity, HEAVY_ARCHITECTURES } from "../../test-support/zoo-onnx-parity.js";

describeZooOnnxParity(HEAVY_ARCHITECTURES);
