import { describeKerasApplications } from "../test-support/keras-application-checks.js";

describeKerasApplications(["Xception", "InceptionV3", "InceptionResNetV2"]);
