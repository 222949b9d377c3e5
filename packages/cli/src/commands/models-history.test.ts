import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHANGE_ACTIONS, publishModel, type ChangeRecord } from "@leukoflow/model-registry";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { MODELS_DIR } from "../paths.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerModelsCommand } from "./models.js";

const SOURCE_MODEL = path.join(MODELS_DIR, "aria-cnn-v1");
const run = (args: string[]): Promise<string> => runCommands([registerModelsCommand], args);

/** The shipped model under another version, with an operating point that moves the malignant thresholds. */
async function copyWithOperatingPoint(
  version: string,
  malignantThreshold: number,
  specimenThreshold: number,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-op-"));
  await cp(SOURCE_MODEL, dir, { recursive: true });
  const metadataFile = path.join(dir, "leukoflow-model.json");
  const figures = { sensitivity: 0.99, specificity: 0.95, malignant: 100, benign: 20 };
  const operatingPoint = {
    malignantThreshold,
    target: { metric: "sensitivity", value: 0.99 },
    tta: "flips",
    fittedOn: { ...figures, split: "monitor", images: 120 },
    specimen: {
      rule: "mean_malignant_probability",
      threshold: specimenThreshold,
      targetSensitivity: 1,
      fittedOn: { ...figures, split: "monitor", specimens: 12, imagesPerSpecimen: [6, 12] },
    },
  };
  await writeFile(
    metadataFile,
    JSON.stringify({ ...JSON.parse(await readFile(metadataFile, "utf8")), version, operatingPoint }),
  );
  return dir;
}

describe("leukoflow models activate / history", () => {
  const services = useIsolatedServices();
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  it("records each activation and the operating-point change it brings, with who and why, and lists them", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const first = await publishModel(deps, SOURCE_MODEL, { activate: false });
    const tuned = await publishModel(deps, await copyWithOperatingPoint("9.9.9-op", 0.2, 0.35), { activate: false });
    const firstRef = `${first.name}@${first.version}`;
    const tunedRef = `${tuned.name}@${tuned.version}`;

    expect(await run(["models", "activate", firstRef, "--reason", "initial rollout", "--by", "alice"])).toContain(
      `${firstRef} active`,
    );
    await run(["models", "activate", firstRef, "--reason", "again", "--by", "alice"]);
    await run(["models", "activate", tunedRef, "--reason", "lab asked for 99 % sensitivity", "--by", "bob"]);
    await expect(run(["models", "activate", "aria-cnn-v1@0.0.0-missing", "--reason", "typo"])).rejects.toThrow(
      /not registered/,
    );

    expect((await services.prisma.modelVersion.findMany({ where: { active: true } })).map((v) => v.id)).toEqual([
      tuned.id,
    ]);
    const history = JSON.parse(await run(["models", "history", "--json"])) as ChangeRecord[];
    expect(history.map(({ action, model, actor, reason }) => ({ action, model, actor, reason }))).toEqual([
      { action: CHANGE_ACTIONS.activated, model: firstRef, actor: "cli:alice", reason: "initial rollout" },
      { action: CHANGE_ACTIONS.activated, model: tunedRef, actor: "cli:bob", reason: "lab asked for 99 % sensitivity" },
      {
        action: CHANGE_ACTIONS.operatingPointChanged,
        model: tunedRef,
        actor: "cli:bob",
        reason: "lab asked for 99 % sensitivity",
      },
    ]);
    expect(history[1]!.details).toEqual({ previous: firstRef });
    expect(history[2]!.details).toEqual({ from: { image: 0.5, specimen: 0.5 }, to: { image: 0.2, specimen: 0.35 } });

    const onlyTuned = JSON.parse(await run(["models", "history", "--json", "--model", tunedRef])) as ChangeRecord[];
    expect(onlyTuned).toHaveLength(2);
    expect(JSON.parse(await run(["models", "history", "--json", "--since", "2099-01-01"]))).toEqual([]);
    const table = await run(["models", "history"]);
    expect(table.split("\n")[0]).toMatch(/^time\s+action\s+model\s+actor\s+reason\s+details$/);
    expect(table).toContain("cli:bob");
  });
});
