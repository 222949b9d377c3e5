import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARIA_ORIGINAL_DIR } from "../../../../test/support/datasets.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerEvaluateCommand } from "./evaluate.js";
import { registerModelsCommand } from "./models.js";
import { registerSyntheticImagesCommand } from "./synthetic-images.js";
import { modelsDir } from "@leukoflow/shared";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
const PER_KIND = 3;

const run = (args: string[]): Promise<string> =>
  runCommands([registerModelsCommand, registerSyntheticImagesCommand, registerEvaluateCommand], args);

/** The fit itself is tested in packages/ml (calibrate-model-ood.test.ts); here the commands around it, on the shipped model and its calibration. */
describe("leukoflow models calibrate-ood, synthetic-images and evaluate --ood", () => {
  let root: string;
  let synthetic: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "leukoflow-ood-"));
    synthetic = path.join(root, "synthetic");
    await run(["synthetic-images", synthetic, "--per-kind", String(PER_KIND)]);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("calibrate-ood refuses to keep a model's version: its files would change under a registered name@version", async () => {
    const modelDir = path.join(root, "aria-cnn-v1");
    cpSync(SHIPPED_MODEL, modelDir, { recursive: true });
    const { version } = JSON.parse(readFileSync(path.join(modelDir, "leukoflow-model.json"), "utf8")) as {
      version: string;
    };
    await expect(
      run(["models", "calibrate-ood", modelDir, "--data", ARIA_ORIGINAL_DIR, "--version", version]),
    ).rejects.toThrow("new version");
  });

  it("evaluate --ood --json gives the flag rates of the --ood folder and of the held-out blocks", async () => {
    expect(readdirSync(synthetic)).toHaveLength(7);
    const out = await run([
      "evaluate",
      "--model",
      SHIPPED_MODEL,
      "--data",
      ARIA_ORIGINAL_DIR,
      "--split",
      "held-out",
      "--tta",
      "none",
      "--ood",
      synthetic,
      "--json",
    ]);
    const report = JSON.parse(out.trim().split("\n").at(-1)!);
    expect(report.n).toBe(555);
    expect(report.ood).toEqual({ n: 7 * PER_KIND, flagRate: 1 });
    expect(report.inDistributionFlagRate).toBeLessThanOrEqual(0.03);
  });
});
