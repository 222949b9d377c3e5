import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ALL_SUBTYPES, ENSEMBLE_FILE } from "@leukoflow/contracts";
import { readModelMetadata, writeModelMetadata } from "@leukoflow/ml";
import { modelsDir } from "@leukoflow/shared";
import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { InvalidEnsembleError } from "./publish-ensemble.js";
import { publishModel } from "./publish-model.js";

const SHIPPED = path.join(modelsDir(), "aria-cnn-v1");

/** The shipped model as `name@1`, declaring `malignantClasses`. */
async function memberWith(name: string, malignantClasses: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-member-"));
  await cp(SHIPPED, dir, { recursive: true });
  await writeModelMetadata(dir, { ...(await readModelMetadata(dir)), name, version: "1", malignantClasses });
  return dir;
}

async function ensembleOf(name: string, members: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-ensemble-"));
  const definition = {
    name,
    version: "1",
    task: "all-subtype-4class",
    members: members.map((member) => ({ name: member, version: "1", weight: 1 })),
  };
  await writeFile(path.join(dir, ENSEMBLE_FILE), JSON.stringify(definition));
  return dir;
}

describe("a model version's malignant classes", () => {
  const services = useIsolatedServices();
  const deps = () => ({ db: services.db, objectStore: services.objectStore });

  it("come from the artifact, and an ensemble takes its members' when they agree", async () => {
    const a = await publishModel(deps(), await memberWith("a", [...ALL_SUBTYPES]), { activate: false });
    await publishModel(deps(), await memberWith("b", ["pro_b", "pre_b", "early_pre_b"]), { activate: false });
    expect(a.malignantClasses).toEqual(ALL_SUBTYPES);
    const ensemble = await publishModel(deps(), await ensembleOf("ab", ["a", "b"]), { activate: false });
    expect(ensemble.malignantClasses).toEqual(ALL_SUBTYPES);
  });

  it("refuse an ensemble whose members call different classes malignant", async () => {
    await publishModel(deps(), await memberWith("c", [...ALL_SUBTYPES]), { activate: false });
    await publishModel(deps(), await memberWith("d", ["pro_b"]), { activate: false });
    const refused = publishModel(deps(), await ensembleOf("cd", ["c", "d"]), { activate: false });
    await expect(refused).rejects.toBeInstanceOf(InvalidEnsembleError);
    await expect(refused).rejects.toThrow(/malignant classes/);
  });
});
