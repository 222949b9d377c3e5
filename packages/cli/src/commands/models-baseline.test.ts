import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { scoreDriftBaseline } from "@leukoflow/ml";
import { ArtifactMismatchError, publishModel, recordDriftBaseline } from "@leukoflow/model-registry";
import { DriftBaseline } from "@leukoflow/shared";
import { ARIA_ORIGINAL_DIR } from "../../../../test/support/datasets.js";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { MODELS_DIR } from "../paths.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerModelsCommand } from "./models.js";

const run = (args: string[]): Promise<string> => runCommands([registerModelsCommand], args);
const MEMBERS = ["aria-cnn-v1", "aria-cnn5-v1"];
const ENSEMBLE = path.join(MODELS_DIR, "aria-ensemble-v1");

describe("leukoflow models baseline of an ensemble", () => {
  const services = useIsolatedServices();
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  it("scores the ensemble as the worker serves it and stores the baseline with its registered version", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    for (const member of MEMBERS) await publishModel(deps, path.join(MODELS_DIR, member), { activate: false });
    const ensemble = await publishModel(deps, ENSEMBLE, { activate: false });

    expect(await run(["models", "baseline", ENSEMBLE, "--data", ARIA_ORIGINAL_DIR])).toMatch(
      /^aria-ensemble-v1@1\.2\.0: \d+ monitor images, OOD rate/,
    );
    const stored = DriftBaseline.parse(
      (await services.prisma.modelVersion.findUniqueOrThrow({ where: { id: ensemble.id } })).driftBaseline,
    );
    const members = await Promise.all(
      MEMBERS.map((member) =>
        scoreDriftBaseline({ modelDir: path.join(MODELS_DIR, member), dataDir: ARIA_ORIGINAL_DIR, tta: "flips" }),
      ),
    );
    // The members' shared monitor blocks; an image is flagged when any member flags it (the largest OOD score).
    expect(stored.images).toBe(members[0]!.images);
    expect(stored.tta).toBe("flips");
    expect(stored.oodRate).toBeGreaterThanOrEqual(Math.max(...members.map((m) => m.oodRate)));
    expect(stored.oodRate).toBeLessThanOrEqual(members.reduce((sum, m) => sum + m.oodRate, 0) + 1e-12);
    expect(Object.values(stored.classMix).reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    expect(stored.oodScore?.shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);

    // A local ensemble folder whose weights differ from the registered one's is not that version.
    const copy = await mkdtemp(path.join(tmpdir(), "lf-ensemble-"));
    for (const dir of [...MEMBERS, "aria-ensemble-v1"])
      await cp(path.join(MODELS_DIR, dir), path.join(copy, dir), { recursive: true });
    const file = path.join(copy, "aria-ensemble-v1", "ensemble.json");
    const definition = JSON.parse(await readFile(file, "utf8")) as { members: { weight: number }[] };
    definition.members[0]!.weight = 0.7;
    await writeFile(file, JSON.stringify(definition));
    await expect(recordDriftBaseline(services.db, path.join(copy, "aria-ensemble-v1"), stored)).rejects.toBeInstanceOf(
      ArtifactMismatchError,
    );
  }, 600_000);
});
