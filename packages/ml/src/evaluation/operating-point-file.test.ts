import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOperatingPoint, servedThresholds, writeOperatingPoint } from "./operating-point-file.js";
import { modelsDir } from "@leukoflow/shared";

const SHIPPED_ENSEMBLE = path.join(modelsDir(), "aria-ensemble-v1");
const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");

describe("operating points in model and ensemble folders", () => {
  it("an ensemble has its own, recorded in ensemble.json under a new version; an ad-hoc average of folders gets the defaults", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lf-ensemble-op-"));
    await cp(path.join(SHIPPED_ENSEMBLE, "ensemble.json"), path.join(dir, "ensemble.json"));
    const shipped = (await readOperatingPoint(SHIPPED_ENSEMBLE))!;
    const moved = { ...shipped, malignantThreshold: 0.25, specimen: { ...shipped.specimen, threshold: 0.4 } };
    await writeOperatingPoint(dir, "9.9.9", moved);
    expect(JSON.parse(await readFile(path.join(dir, "ensemble.json"), "utf8"))).toMatchObject({
      name: "aria-ensemble-v1",
      version: "9.9.9",
      operatingPoint: moved,
    });
    expect(await servedThresholds([dir])).toEqual({ image: 0.25, specimen: 0.4 });
    expect(await servedThresholds([SHIPPED_MODEL, SHIPPED_MODEL])).toEqual({ image: 0.5, specimen: 0.5 });
  });
});
