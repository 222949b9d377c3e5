import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { countKerasParameters, expectOneTrainingStep } from "../test-support/keras-application-checks.js";
import { KERAS_APPLICATIONS } from "./keras-applications.js";

describe.each(["VGG16", "VGG19"])("%s", (name) => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  // Building VGG's 1000-class top initialises 124M dense weights in JS: slow on a loaded machine.
  it("has the Keras Applications parameter count with the 1000-class ImageNet top", { timeout: 300_000 }, () => {
    expect(countKerasParameters(name)).toBe(KERAS_APPLICATIONS[name]!.kerasParameters);
  });

  it("trains one step on a batch of two at its smallest input", { timeout: 300_000 }, () => {
    expectOneTrainingStep(name);
  });
});
