import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReviewQueue } from "@leukoflow/contracts";
import { CHANGE_ACTIONS, type ChangeRecord } from "@leukoflow/model-registry";
import { ariaImages, pbcImages } from "../../../../test/support/datasets.js";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { createTestLab } from "../../../../test/support/labs.js";
import { expectClassifiedExactlyOnce, Pipeline } from "../../../../test/support/pipeline.js";
import { registerDatasetsCommand } from "../commands/datasets.js";
import { registerModelsCommand } from "../commands/models.js";
import { registerTrainCommand } from "../commands/train.js";
import { runCommands } from "../test-support/run-commands.js";

const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const run = (args: string[]): Promise<string> =>
  runCommands([registerDatasetsCommand, registerModelsCommand, registerTrainCommand], args);
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const TINY_TRAINING = [
  "--filters",
  "4,8",
  "--input-size",
  "32",
  "--epochs",
  "1",
  "--batch-size",
  "8",
  "--test-split",
  "4:4:0",
  "--monitor-split",
  "3:3:0",
  "--backend",
  "wasm",
];

interface ManifestRow {
  file: string;
  label: string;
  sha256: string;
  model_label: string;
  review_decision: string;
  reviewer: string;
  reason: string;
  specimen: string;
  model: string;
}

function readManifest(file: string): ManifestRow[] {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const columns = header!.split(",");
  // The reasons this test writes hold no commas or quotes, so a plain split reads them.
  return lines.map(
    (line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell])) as unknown as ManifestRow,
  );
}

describe("reviews that teach: review queue, datasets export, train --extra", () => {
  const services = useIsolatedServices();
  let pipeline: Pipeline;
  let root: string;
  let data: string;
  let key: string;
  /** Uploaded file name → its path in the datasets. */
  const uploaded = new Map<string, string>();

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "lf-teach-"));
    // The original training data: a run of consecutive file numbers per class.
    data = path.join(root, "data");
    for (const label of CLASSES) {
      mkdirSync(path.join(data, label), { recursive: true });
      for (const file of ariaImages(label, 12)) copyFileSync(file, path.join(data, label, path.basename(file)));
    }
    pipeline = await Pipeline.start(services);
    key = (await createTestLab(services.prisma, "teach-lab")).key;
    // Held-out images the lab sees, one already in the training data, and two cells from another lab.
    const files = [
      ...ariaImages("benign", 2, 380),
      ...ariaImages("early_pre_b", 2, 760),
      ariaImages("pro_b", 1)[0]!,
      ...pbcImages("neutrophil", 2),
    ];
    for (const file of files) uploaded.set(path.basename(file), file);
    const specimenId = await pipeline.uploadSpecimen(key, "TEACH-1", files);
    await expectClassifiedExactlyOnce(services, specimenId, files.length, 480_000);
  }, 600_000);

  afterAll(async () => {
    await pipeline?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  const api = (method: string, url: string, body?: unknown) =>
    fetch(`${pipeline.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const queue = async (): Promise<ReviewQueue["items"]> =>
    ((await (await api("GET", "/v1/review-queue")).json()) as ReviewQueue).items;

  it("queues what teaches most first, then exports the reviewed originals that train --init-from --extra fine-tunes on", async () => {
    const before = await queue();
    expect(before).toHaveLength(uploaded.size);
    const ood = (item: (typeof before)[number]): boolean => item.flags.includes("out_of_distribution");
    const pbc = before.filter((item) => item.originalName!.startsWith("NEU"));
    expect(pbc.every(ood)).toBe(true);
    // Out of distribution first, then least confident among equals.
    const firstInDistribution = before.findIndex((item) => !ood(item));
    expect(before.slice(0, firstInDistribution).every(ood)).toBe(true);
    expect(before.slice(firstInDistribution).some(ood)).toBe(false);
    const confidences = before.slice(firstInDistribution).map((item) => item.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));

    // The technologist corrects two held-out images and confirms the one the data already has.
    const byName = new Map(before.map((item) => [item.originalName!, item]));
    const corrections = [...uploaded.keys()]
      .filter((name) => name.startsWith("WBC-Benign") || name.startsWith("WBC-Malignant-Early"))
      .slice(0, 2);
    const overridden = new Map<string, string>();
    for (const name of corrections) {
      const item = byName.get(name)!;
      const label = CLASSES.find((c) => c !== item.label)!;
      overridden.set(name, label);
      expect(
        (
          await api("POST", `/v1/images/${item.imageId}/review`, {
            decision: "OVERRIDDEN",
            label,
            reason: `morphology says ${label}`,
          })
        ).status,
      ).toBe(201);
    }
    const duplicate = [...uploaded.keys()].find((name) => name.startsWith("WBC-Malignant-Pro"))!;
    expect(
      (await api("POST", `/v1/images/${byName.get(duplicate)!.imageId}/review`, { decision: "CONFIRMED" })).status,
    ).toBe(201);
    const after = await queue();
    expect(after.map((item) => item.imageId).sort()).toEqual(
      before
        .filter((item) => !overridden.has(item.originalName!) && item.originalName !== duplicate)
        .map((item) => item.imageId)
        .sort(),
    );

    const exportDir = path.join(root, "export");
    expect(
      await run([
        "datasets",
        "export",
        exportDir,
        "--reviewed-only",
        "--lab",
        "teach-lab",
        "--reason",
        "hematogone corrections",
        "--by",
        "carol",
      ]),
    ).toMatch(/^3 images to /);
    expect(readdirSync(exportDir).sort()).toEqual([...CLASSES, "manifest.csv"].sort());
    const rows = readManifest(path.join(exportDir, "manifest.csv"));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const item = before.find((candidate) => sha256(uploaded.get(candidate.originalName!)!) === row.sha256)!;
      const name = item.originalName!;
      expect(sha256(path.join(exportDir, row.file))).toBe(sha256(uploaded.get(name)!));
      expect(row.file.startsWith(`${row.label}/TEACH_1-`)).toBe(true);
      expect(row).toMatchObject({ specimen: "TEACH-1", model: item.model, model_label: item.label, reviewer: "test" });
      if (name === duplicate)
        expect(row).toMatchObject({ label: item.label, review_decision: "CONFIRMED", reason: "" });
      else
        expect(row).toMatchObject({
          label: overridden.get(name),
          review_decision: "OVERRIDDEN",
          reason: `morphology says ${overridden.get(name)}`,
        });
    }
    const history = JSON.parse(await run(["models", "history", "--json"])) as ChangeRecord[];
    expect(history.filter((c) => c.action === CHANGE_ACTIONS.datasetExported)).toEqual([
      expect.objectContaining({
        actor: "cli:carol",
        reason: "hematogone corrections",
        details: expect.objectContaining({ dir: exportDir, images: 3, reviewedOnly: true, lab: "teach-lab" }),
      }),
    ]);

    const base = path.join(root, "base");
    await run([
      "train",
      data,
      "--name",
      "base",
      "--out",
      base,
      "--checkpoint-dir",
      path.join(root, "ckpt-base"),
      ...TINY_TRAINING,
    ]);
    const tuned = path.join(root, "tuned");
    const trained = await run([
      "train",
      data,
      "--extra",
      exportDir,
      "--name",
      "tuned",
      "--version",
      "1.1.0",
      "--out",
      tuned,
      "--init-from",
      base,
      "--checkpoint-dir",
      path.join(root, "ckpt-tuned"),
      ...TINY_TRAINING,
    ]);
    const baseReport = JSON.parse(readFileSync(path.join(base, "report.json"), "utf8"));
    const report = JSON.parse(readFileSync(path.join(tuned, "report.json"), "utf8"));
    expect(report.initialisedFrom).toBe("base 1.0.0");
    // The two corrected images train; the copy of a training image stays where the split put it.
    expect(report.split.extra).toEqual({ dirs: [exportDir], images: 2, alreadyInData: 1 });
    expect(report.split.trainImages).toBe(baseReport.split.trainImages + 2);
    expect(report.split.testImages).toBe(baseReport.split.testImages);
    expect(readFileSync(path.join(tuned, "report.md"), "utf8")).toContain(
      "Extra training images (all on the training side, never held out): 2",
    );
    // The fine-tuned version goes through a shadow before anyone activates it.
    expect(trained).toContain("models shadow tuned@1.1.0");
    await run(["models", "publish", tuned]);
    expect((await services.db.modelVersions.findByRef("tuned", "1.1.0"))?.initialisedFrom).toBe("base 1.0.0");
    await expect(run(["models", "activate", "tuned@1.1.0", "--reason", "looks good"])).rejects.toThrow(
      /fine-tuned from base 1\.0\.0 and has not scored live images in shadow/,
    );
  }, 600_000);
});
