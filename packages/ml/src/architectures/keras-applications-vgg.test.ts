import { describeKerasApplications } from "../test-support/keras-application-checks.js";

describeKerasApplications(["VGG16", "VGG19"]);
