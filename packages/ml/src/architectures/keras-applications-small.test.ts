import { describeKerasApplications } from "../test-support/keras-application-checks.js";

describeKerasApplications(["ResNet50", "MobileNetV2", "EfficientNetB0", "EfficientNetB3"]);
