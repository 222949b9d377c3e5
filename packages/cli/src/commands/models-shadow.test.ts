import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHANGE_ACTIONS, publishModel, type ChangeRecord } from "@leukoflow/model-registry";
import { SUBTYPE_TASK } from "@leukoflow/shared";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { MODELS_DIR } from "../paths.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerModelsCommand } from "./models.js";

const run = (args: string[]): Promise<string> => runCommands([registerModelsCommand], args);

/** A shipped model under another version, its metadata changed by `edit`. */
async function copyOf(model: string, version: string, edit: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-shadow-"));
  await cp(path.join(MODELS_DIR, model), dir, { recursive: true });
  const file = path.join(dir, "leukoflow-model.json");
  await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, "utf8")), version, ...edit }));
  return dir;
}

describe("leukoflow models shadow: start, replace, stop, and the fine-tuned version's way to activation", () => {
  const services = useIsolatedServices();
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  it("records each step, refuses what cannot be compared, and lets a fine-tuned version be activated only after its shadow", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const active = await publishModel(deps, path.join(MODELS_DIR, "aria-cnn-v1"), { activate: false });
    const other = await publishModel(deps, path.join(MODELS_DIR, "aria-cnn5-v1"), { activate: false });
    const wide = await publishModel(deps, path.join(MODELS_DIR, "aria-robust-cnn"), { activate: false });
    const tuned = await publishModel(
      deps,
      await copyOf("aria-cnn-v1", "1.3.0-ft", { initialisedFrom: "aria-cnn-v1 1.2.0" }),
      {
        activate: false,
      },
    );
    const ref = (v: { name: string; version: string }) => `${v.name}@${v.version}`;
    expect(tuned.initialisedFrom).toBe("aria-cnn-v1 1.2.0");
    expect(other.initialisedFrom).toBeNull();

    await expect(run(["models", "shadow", ref(other), "--reason", "too early"])).rejects.toThrow(
      /no version of .* is active/,
    );
    await run(["models", "activate", ref(active), "--reason", "initial rollout", "--by", "alice"]);
    expect(await run(["models", "shadow"])).toContain("no version is in shadow");
    await expect(run(["models", "shadow", ref(other)])).rejects.toThrow(/--reason/);
    await expect(run(["models", "shadow", ref(active), "--reason", "x"])).rejects.toThrow(/is the active version/);
    await expect(run(["models", "shadow", ref(wide), "--reason", "x"])).rejects.toThrow(/must take the same input/);
    await expect(run(["models", "shadow", ref(other), "--sample", "1.5", "--reason", "x"])).rejects.toThrow(/\(0, 1\]/);
    await expect(run(["models", "shadow", "--stop", "--reason", "x"])).rejects.toThrow(/no version is in shadow/);

    // A fine-tuned version is not activated before it scored live images in shadow, unless told so (and recorded).
    await expect(run(["models", "activate", ref(tuned), "--reason", "looks good offline"])).rejects.toThrow(
      /fine-tuned from aria-cnn-v1 1\.2\.0 and has not scored live images in shadow/,
    );
    expect((await services.prisma.modelVersion.findFirstOrThrow({ where: { active: true } })).id).toBe(active.id);

    expect(await run(["models", "shadow", ref(other), "--reason", "second opinion", "--by", "bob"])).toContain(
      `${ref(other)} in shadow: 20.0 % of specimens`,
    );
    expect(await run(["models", "shadow"])).toMatch(
      new RegExp(`^${ref(other)} in shadow since .*: 20.0 % of specimens, 0 images scored`),
    );
    await run(["models", "shadow", ref(other), "--reason", "second opinion", "--by", "bob"]); // unchanged: nothing recorded
    await run(["models", "shadow", ref(other), "--sample", "0.5", "--reason", "more images", "--by", "bob"]);
    expect(
      await run([
        "models",
        "shadow",
        ref(tuned),
        "--sample",
        "1",
        "--reason",
        "fine-tuned on Q4 reviews",
        "--by",
        "carol",
      ]),
    ).toContain(`${ref(tuned)} in shadow: 100.0 % of specimens, replacing ${ref(other)}`);
    expect((await services.db.modelVersions.findShadow(SUBTYPE_TASK))?.id).toBe(tuned.id);
    // At most one version of a task in shadow, whatever writes it.
    await expect(
      services.prisma.modelVersion.update({ where: { id: other.id }, data: { shadowSample: 0.1 } }),
    ).rejects.toMatchObject({ code: "P2002" });

    await expect(run(["models", "shadow", "--stop", ref(other), "--reason", "x"])).rejects.toThrow(/is not in shadow/);
    expect(await run(["models", "shadow", "--stop", "--reason", "enough", "--by", "carol"])).toContain(
      `${ref(tuned)} no longer in shadow`,
    );
    await expect(run(["models", "activate", ref(tuned), "--reason", "x"])).rejects.toThrow(
      /has not scored live images/,
    );
    expect(
      await run([
        "models",
        "activate",
        ref(tuned),
        "--skip-shadow",
        "--reason",
        "urgent fix, reviewed offline",
        "--by",
        "dave",
      ]),
    ).toContain(`${ref(tuned)} active`);

    const history = JSON.parse(await run(["models", "history", "--json"])) as ChangeRecord[];
    expect(
      history.map(({ action, model, actor, reason, details }) => ({ action, model, actor, reason, details })),
    ).toEqual([
      {
        action: CHANGE_ACTIONS.activated,
        model: ref(active),
        actor: "cli:alice",
        reason: "initial rollout",
        details: { previous: null },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(other),
        actor: "cli:bob",
        reason: "second opinion",
        details: { sample: 0.2, active: ref(active) },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(other),
        actor: "cli:bob",
        reason: "more images",
        details: { sample: 0.5, active: ref(active), previousSample: 0.2 },
      },
      {
        action: CHANGE_ACTIONS.shadowStopped,
        model: ref(other),
        actor: "cli:carol",
        reason: "fine-tuned on Q4 reviews",
        details: { sample: 0.5, scored: 0, replacedBy: ref(tuned) },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(tuned),
        actor: "cli:carol",
        reason: "fine-tuned on Q4 reviews",
        details: { sample: 1, active: ref(active), replaced: ref(other) },
      },
      {
        action: CHANGE_ACTIONS.shadowStopped,
        model: ref(tuned),
        actor: "cli:carol",
        reason: "enough",
        details: { sample: 1, scored: 0 },
      },
      {
        action: CHANGE_ACTIONS.activated,
        model: ref(tuned),
        actor: "cli:dave",
        reason: "urgent fix, reviewed offline",
        details: { previous: ref(active), skippedShadow: true },
      },
    ]);
    const table = await run(["models", "history", "--model", ref(tuned)]);
    expect(table).toContain("model.shadow_started");
    expect(table).toContain("model.shadow_stopped");
  });
});
