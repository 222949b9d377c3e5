import path from "node:path";
import type { Command } from "commander";
import { NodeIngestApiClient, type SpecimenReport } from "@leukoflow/api-client/node";
import { defaultModelDir, readModelMetadata } from "@leukoflow/ml";
import {
  applyMigrations,
  ariaOriginalDir,
  createDatabase,
  objectStoreFromEnv,
  parseEnv,
  CommonEnv,
} from "@leukoflow/shared";
import { activateModelVersion, modelRef, publishModel } from "@leukoflow/model-registry";
import { stackUp, freePort } from "@leukoflow/stack";
import { parseAppEntry, startApps, type AppEntry } from "../demo/app-processes.js";
import { sampleClassImages } from "../demo/sample-images.js";
import { MIGRATIONS_DIR, MODELS_DIR, STATE_DIR } from "../paths.js";
import { formatTable } from "../table.js";
import { changeAuthor } from "../change-author.js";
import { createLabWithKey } from "./labs.js";

/** What the demo uploads, from the model's held-out blocks: one specimen of benign cells, one of the three ALL subtypes. */
const DEMO_SPECIMENS = [
  { suffix: "A", images: { benign: 6 } },
  { suffix: "B", images: { early_pre_b: 2, pre_b: 2, pro_b: 2 } },
];

interface DemoOptions {
  app: AppEntry[];
  data: string;
  model: string;
  timeout: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run the whole pipeline on real images: stack, migrations, apps, two specimens, results")
    .requiredOption(
      "--app <name=entry>",
      "an app to start: its name and built entry point (repeat for each; the workspace's demo script names the three)",
      parseAppEntry,
    )
    .option("--data <dir>", "folder of class subfolders to sample images from", ariaOriginalDir())
    .option(
      "--model <name>",
      "shipped model (folder under models/) to serve; default: the one models/default.json names",
      path.basename(defaultModelDir(MODELS_DIR)),
    )
    .option("--timeout <seconds>", "give up when the specimens are not complete by then", "300")
    .action((options: DemoOptions) => runDemo(options));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const step = (message: string) => console.error(`» ${message}`);
  step("bringing the stack up");
  const stackEnv = await stackUp({ stateDir: STATE_DIR });
  const env = parseEnv(CommonEnv, { ...process.env, ...stackEnv });

  step("applying migrations");
  await applyMigrations(env.DATABASE_URL, MIGRATIONS_DIR);

  const db = createDatabase(env.DATABASE_URL, 2);
  const objectStore = objectStoreFromEnv(env);
  const runId = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  let apps: ReturnType<typeof startApps> | undefined;
  try {
    step(`publishing model ${options.model}`);
    const modelDir = path.join(MODELS_DIR, options.model);
    // Activated as `models activate` does, so the demo's switch is in `models history` too.
    const published = await publishModel({ db, objectStore }, modelDir, { activate: false });
    const model = await activateModelVersion(
      db,
      modelRef(published),
      changeAuthor(`leukoflow demo: serve ${options.model}`),
      { skipShadow: true },
    );
    const heldOut = (await readModelMetadata(modelDir)).validation.heldOutRanges;
    const { key } = await createLabWithKey(db, `demo-${runId}`, `Demo lab ${runId}`);

    const port = await freePort();
    const names = options.app.map((app) => app.name);
    step(`starting ${names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]}`);
    apps = startApps(
      options.app,
      { ...process.env, ...stackEnv, PORT: String(port), HOST: "127.0.0.1" },
      path.join(STATE_DIR, "logs"),
    );
    const client = new NodeIngestApiClient(`http://127.0.0.1:${port}`, key);
    await Promise.race([client.waitUntilReady(60_000), apps.crashed]);

    const truthByFile = new Map<string, string>();
    const specimenIds: string[] = [];
    for (const specimen of DEMO_SPECIMENS) {
      const files: string[] = [];
      for (const [label, count] of Object.entries(specimen.images)) {
        const range = heldOut.find((block) => block.className === label);
        if (!range) throw new Error(`${options.model} reports no held-out block for ${label}`);
        for (const file of await sampleClassImages(options.data, label, count, range)) {
          truthByFile.set(path.basename(file), label);
          files.push(file);
        }
      }
      const created = await client.ensureSpecimen(`DEMO-${runId}-${specimen.suffix}`);
      await client.uploadImages(created.id, files);
      specimenIds.push(created.id);
      step(`uploaded ${files.length} images as specimen ${created.accession}`);
    }

    const reports = await Promise.race([
      waitForSpecimens(client, specimenIds, Number(options.timeout) * 1000, step),
      apps.crashed,
    ]);
    console.log(`\nModel: ${model.name}@${model.version} (${model.architecture}, ${model.inputSize}px)\n`);
    console.log(imageTable(reports, truthByFile));
    console.log(`\n${specimenTable(reports)}`);
    const unfinished = reports.filter((report) => report.status !== "COMPLETED");
    if (unfinished.length > 0)
      throw new Error(`specimens not completed: ${unfinished.map((r) => r.accession).join(", ")}`);
  } finally {
    await apps?.stop();
    await db.disconnect();
    objectStore.destroy();
  }
}

async function waitForSpecimens(
  client: NodeIngestApiClient,
  ids: string[],
  timeoutMs: number,
  step: (message: string) => void,
): Promise<SpecimenReport[]> {
  const deadline = Date.now() + timeoutMs;
  let lastProgress = "";
  for (;;) {
    const reports = await Promise.all(ids.map((id) => client.report(id)));
    const images = reports.flatMap((report) => report.images);
    const settled = images.filter((image) => image.status === "CLASSIFIED" || image.status === "FAILED").length;
    const progress = `${settled}/${images.length} images classified`;
    if (progress !== lastProgress) step(progress);
    lastProgress = progress;
    if (reports.every((report) => report.status === "COMPLETED" || report.status === "FAILED")) return reports;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s with ${progress}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function imageTable(reports: SpecimenReport[], truthByFile: Map<string, string>): string {
  const rows = reports.flatMap((report) =>
    report.images.map((image) => [
      report.accession,
      image.originalName ?? image.id,
      truthByFile.get(image.originalName ?? "") ?? "?",
      image.prediction?.label ?? "-",
      image.prediction ? image.prediction.confidence.toFixed(3) : "-",
      image.status === "FAILED" ? `FAILED: ${image.failureReason}` : image.status,
    ]),
  );
  return formatTable(["specimen", "image", "true class", "predicted", "confidence", "status"], rows);
}

function specimenTable(reports: SpecimenReport[]): string {
  const rows = reports.map((report) => {
    const summary = report.summary;
    const counts = summary
      ? Object.entries(summary.countsByLabel)
          .map(([label, n]) => `${label}=${n}`)
          .join(" ")
      : "-";
    return [
      report.accession,
      report.status,
      summary ? `${summary.classifiedCount}/${summary.classifiedCount + summary.failedCount}` : "-",
      counts,
      summary ? `${(summary.malignantFraction * 100).toFixed(0)}%` : "-",
      summary ? [summary.call, summary.dominantSubtype].filter(Boolean).join(" ") : "-",
    ];
  });
  return formatTable(["specimen", "status", "classified", "counts", "malignant", "call"], rows);
}
