import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultModelDir, readOperatingPoint } from "@leukoflow/ml";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { MODELS_DIR } from "../paths.js";
import { syncModels } from "./models.js";

describe("leukoflow models sync", () => {
  const services = useIsolatedServices();

  it("registers every shipped model and ensemble with its artifact in object storage and activates the default, idempotently", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const first = await syncModels(deps);
    const names = first.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(["aria-cnn-v1", "aria-cnn5-v1", "aria-ensemble-v1"]));
    expect(first.filter((v) => v.active).map((v) => v.name)).toEqual([path.basename(defaultModelDir(MODELS_DIR))]);

    const single = first.find((v) => v.name === "aria-cnn5-v1")!;
    const prefix = new URL(single.artifactUri).pathname.slice(1);
    const modelJson = JSON.parse((await services.objectStore.get(`${prefix}model.json`)).toString("utf8"));
    expect(modelJson.format).toBe("layers-model");
    const ensemble = await services.prisma.modelVersion.findFirstOrThrow({
      where: { name: "aria-ensemble-v1" },
      include: { members: { include: { member: true } } },
    });
    expect(ensemble.members.map((m) => m.member.name).sort()).toEqual(["aria-cnn-v1", "aria-cnn5-v1"]);

    // The default model's operating point reaches its ModelVersion, which the worker and reports read the thresholds from.
    const served = first.find((v) => v.active)!;
    const recorded = await readOperatingPoint(defaultModelDir(MODELS_DIR));
    expect(recorded).not.toBeNull();
    expect(served.operatingPoint).toEqual(recorded);

    const again = await syncModels(deps);
    expect(again.map((v) => v.id)).toEqual(first.map((v) => v.id));
    expect(await services.prisma.modelVersion.count()).toBe(first.length);
  });
});
