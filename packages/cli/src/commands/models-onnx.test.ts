import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readModelMetadata, writeModelMetadata } from "@leukoflow/ml";
import { artifactDigest, fetchArtifact, publishModel } from "@leukoflow/model-registry";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { MODELS_DIR } from "../paths.js";
import { publishModelFolder } from "./models.js";

/** A copy of a shipped model as it was before ONNX serving: no model.onnx, no onnx block, under its own name. */
async function modelWithoutOnnx(name: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "lf-onnx-")), name);
  await cp(path.join(MODELS_DIR, "aria-cnn-v1"), dir, { recursive: true });
  await rm(path.join(dir, "model.onnx"));
  const { onnx: _onnx, ...meta } = await readModelMetadata(dir);
  await writeModelMetadata(dir, { ...meta, name });
  return dir;
}

describe("model.onnx in published artifacts", () => {
  const services = useIsolatedServices();

  it("models publish writes model.onnx for a model that lacks it; the digest covers it and fetching brings it back", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const dir = await modelWithoutOnnx("onnx-added");
    const version = await publishModelFolder(deps, dir);
    const meta = await readModelMetadata(dir);
    expect(meta.onnx).toMatchObject({ file: "model.onnx", logits: "logits", lastConv: "last_conv" });
    const cache = await mkdtemp(path.join(tmpdir(), "lf-onnx-cache-"));
    const fetched = await fetchArtifact(services.objectStore, version, cache);
    expect(
      (await readFile(path.join(fetched, "model.onnx"))).equals(await readFile(path.join(dir, "model.onnx"))),
    ).toBe(true);
    // Publishing again is a no-op: the graph is written once and the digest is stable.
    expect((await publishModelFolder(deps, dir)).artifactSha256).toBe(version.artifactSha256);
  });

  it("a version published before ONNX keeps its digest over the tfjs files and fetches without model.onnx", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const dir = await modelWithoutOnnx("tfjs-only");
    const version = await publishModel(deps, dir, { activate: false });
    const files = await Promise.all(
      ["leukoflow-model.json", "model.json", "weights.bin", "ood-statistics.bin"].map((name) =>
        readFile(path.join(dir, name)),
      ),
    );
    expect(version.artifactSha256).toBe(artifactDigest(files));
    const fetched = await fetchArtifact(
      services.objectStore,
      version,
      await mkdtemp(path.join(tmpdir(), "lf-onnx-cache-")),
    );
    expect(existsSync(path.join(fetched, "model.json"))).toBe(true);
    expect(existsSync(path.join(fetched, "model.onnx"))).toBe(false);
  });
});
