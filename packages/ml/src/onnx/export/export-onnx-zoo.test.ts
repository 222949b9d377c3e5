import { ARCHITECTURES } from "../../architectures/registry.js";
import { describeZooOnnxParity, HEAVY_ARCHITECTURES } from "../../test-support/zoo-onnx-parity.js";

describeZooOnnxParity(Object.keys(ARCHITECTURES).filter((name) => !HEAVY_ARCHITECTURES.includes(name)));
