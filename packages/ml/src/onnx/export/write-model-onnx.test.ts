import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../backend.js";
import { readModelMetadata, writeModelMetadata } from "../../model/model-metadata.js";
import { ensureModelOnnx, needsOnnxExport } from "./write-model-onnx.js";
import type { OodCalibration } from "@leukoflow/contracts";
import { modelsDir } from "@leukoflow/shared";

const SHIPPED = path.join(modelsDir(), "aria-cnn-v1");

async function copyOfShippedModel(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "lf-onnx-write-")), "model");
  await cp(SHIPPED, dir, { recursive: true });
  return dir;
}

describe("a model folder's model.onnx", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it("is re-exported when it is missing or lacks an OOD layer the metadata names, and left alone otherwise", async () => {
    const dir = await copyOfShippedModel();
    expect(await needsOnnxExport(dir)).toBe(false);
    expect(await ensureModelOnnx(dir)).toBe(false);

    // As after models calibrate-ood --layers with another layer.
    const meta = await readModelMetadata(dir);
    const ood = meta.ood as OodCalibration;
    await writeModelMetadata(dir, {
      ...meta,
      ood: { ...ood, layers: [...ood.layers, { ...ood.layers[0]!, name: "stage4_conv1_relu" }] },
    });
    expect(await needsOnnxExport(dir)).toBe(true);
    expect(await ensureModelOnnx(dir)).toBe(true);
    expect((await readModelMetadata(dir)).onnx?.layerOutputs.stage4_conv1_relu).toBe("layer/stage4_conv1_relu");
    expect(await needsOnnxExport(dir)).toBe(false);

    await rm(path.join(dir, "model.onnx"));
    expect(await ensureModelOnnx(dir)).toBe(true);
    expect((await readFile(path.join(dir, "model.onnx"))).length).toBeGreaterThan(0);
  });

  it("is the model itself when there are no tfjs files (imported from ONNX): nothing to export", async () => {
    const dir = await copyOfShippedModel();
    await rm(path.join(dir, "model.json"));
    expect(await needsOnnxExport(dir)).toBe(false);
  });
});
