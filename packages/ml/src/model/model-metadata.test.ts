import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { METADATA_FILE } from "@leukoflow/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidModelMetadataError, readModelMetadata, writeModelMetadata } from "./model-metadata.js";
import { modelsDir } from "@leukoflow/shared";

const MODELS_DIR = modelsDir();
const SHIPPED = path.join(MODELS_DIR, "aria-cnn-v1");

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function artifactWith(edit: (meta: Record<string, unknown>) => void): Promise<string> {
  const meta = JSON.parse(await readFile(path.join(SHIPPED, METADATA_FILE), "utf8")) as Record<string, unknown>;
  edit(meta);
  dir = await mkdtemp(path.join(tmpdir(), "leukoflow-meta-"));
  await writeFile(path.join(dir, METADATA_FILE), JSON.stringify(meta));
  return dir;
}

describe("leukoflow-model.json read through contracts' schema", () => {
  it("reads every shipped model, each declaring its malignant classes", async () => {
    const folders = (await readdir(MODELS_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory());
    const withMetadata = (
      await Promise.all(
        folders.map(async ({ name }) =>
          (await readdir(path.join(MODELS_DIR, name))).includes(METADATA_FILE) ? [name] : [],
        ),
      )
    ).flat();
    expect(withMetadata.length).toBeGreaterThan(0);
    for (const name of withMetadata) {
      const meta = await readModelMetadata(path.join(MODELS_DIR, name));
      expect(meta.malignantClasses.length).toBeGreaterThan(0);
      expect(meta.malignantClasses.every((c) => meta.classes.includes(c))).toBe(true);
    }
  });

  it("names the file and the field of a malformed artifact", async () => {
    const broken = await artifactWith((meta) => {
      meta.inputSize = "224";
    });
    const error = await readModelMetadata(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidModelMetadataError);
    expect((error as Error).message).toContain(path.join(broken, METADATA_FILE));
    expect((error as Error).message).toContain("inputSize");
  });

  it("refuses malignant classes that are not among the model's classes", async () => {
    const broken = await artifactWith((meta) => {
      meta.malignantClasses = ["pre_b", "blast"];
    });
    await expect(readModelMetadata(broken)).rejects.toThrow(/malignantClasses/);
  });

  it("refuses a file that is not JSON, naming it", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "leukoflow-meta-"));
    await writeFile(path.join(dir, METADATA_FILE), "{ not json");
    await expect(readModelMetadata(dir)).rejects.toThrow(path.join(dir, METADATA_FILE));
  });

  it("writes only what it would read back", async () => {
    const good = await artifactWith(() => {});
    const meta = await readModelMetadata(good);
    await expect(writeModelMetadata(good, { ...meta, classes: ["benign"] })).rejects.toThrow(/classes/);
    await writeModelMetadata(good, meta);
    expect(await readModelMetadata(good)).toEqual(meta);
  });
});
