import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { readModelMetadata, writeModelMetadata } from "@leukoflow/ml";
import { modelsDir } from "@leukoflow/shared";
import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ShadowRequiredError } from "./activation.js";
import { publishModel } from "./publish-model.js";

/** A shipped model under another name@1, `initialisedFrom` another model when given. */
async function copyOf(model: string, name: string, initialisedFrom?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-publish-"));
  await cp(path.join(modelsDir(), model), dir, { recursive: true });
  await writeModelMetadata(dir, { ...(await readModelMetadata(dir)), name, version: "1", initialisedFrom });
  return dir;
}

describe("publishing a model with activation", () => {
  const services = useIsolatedServices();
  const deps = () => ({ db: services.db, objectStore: services.objectStore });
  const author = { actor: "registry-test", reason: "publish test" };

  it("activates as `models activate` does: recorded with its author, a fine-tuned version refused without a shadow run", async () => {
    const version = await publishModel(deps(), await copyOf("aria-cnn-v1", "published-active"), {
      activate: true,
      author,
    });
    expect(version.active).toBe(true);
    const events = await services.db.labs.listAuditEvents({ actions: ["model.activated"] });
    expect(events.map((event) => [event.actor, event.entityId])).toEqual([["registry-test", version.id]]);

    const fineTuned = publishModel(deps(), await copyOf("aria-cnn-v1", "published-tuned", "published-active 1"), {
      activate: true,
      author,
    });
    await expect(fineTuned).rejects.toBeInstanceOf(ShadowRequiredError);
    expect((await services.db.modelVersions.findActive(version.task))?.id).toBe(version.id);
  });
});
