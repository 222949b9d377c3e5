import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import {
  calibrateModelOod,
  calibrateModelTemperature,
  calibrateOperatingPoint,
  DEFAULT_OOD_QUANTILE,
  defaultModelDir,
  DEFAULT_OOD_SHRINKAGE,
  ensureModelOnnx,
  isEnsembleDir,
  MODEL_FILE,
  writeEnsemble,
  type TtaMode,
} from "@leukoflow/ml";
import { activateModelVersion, modelRef, publishModel, type ChangeAuthor } from "@leukoflow/model-registry";
import { createDatabase, objectStoreFromEnv, type ModelVersion } from "@leukoflow/shared";
import { changeAuthor } from "../change-author.js";
import { MODELS_DIR } from "../paths.js";
import { loadCommonEnv } from "../runtime-env.js";
import {
  selectServingEngineFromFlags,
  withServingEngineOptions,
  type ServingEngineFlags,
} from "../serving-engine-options.js";
import { registerModelLifecycleCommands } from "./models-lifecycle.js";
import { registerImportOnnxCommand } from "./models-import-onnx.js";
import { registerModelOnnxCommands } from "./models-onnx.js";
import { ENSEMBLE_FILE, METADATA_FILE } from "@leukoflow/contracts";
import { registerShadowCommands } from "./models-shadow.js";

async function withRegistry<T>(work: (deps: Parameters<typeof publishModel>[0]) => Promise<T>): Promise<T> {
  const env = loadCommonEnv();
  const db = createDatabase(env.DATABASE_URL, 2);
  const objectStore = objectStoreFromEnv(env);
  try {
    await objectStore.ensureBucket();
    return await work({ db, objectStore });
  } finally {
    await db.disconnect();
    objectStore.destroy();
  }
}

/** Publishes a model folder (not activated), first writing its ONNX graph if it lacks an up-to-date one. */
export async function publishModelFolder(deps: Parameters<typeof publishModel>[0], dir: string): Promise<ModelVersion> {
  if (!isEnsembleDir(dir)) await ensureModelOnnx(dir);
  return publishModel(deps, dir, { activate: false });
}

/**
 * Registers every model folder under `modelsDir` (single models first, then the ensembles built
 * on them) and activates the shipped default. Publishing an unchanged artifact again is a no-op.
 */
export async function syncModels(
  deps: Parameters<typeof publishModel>[0],
  modelsDir = MODELS_DIR,
  author: ChangeAuthor = changeAuthor("models sync: the shipped default (models/default.json)"),
): Promise<ModelVersion[]> {
  const dirs = readdirSync(modelsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(modelsDir, entry.name))
    .sort();
  const singles = dirs.filter(
    (dir) => existsSync(path.join(dir, METADATA_FILE)) && existsSync(path.join(dir, MODEL_FILE)),
  );
  const ensembles = dirs.filter((dir) => existsSync(path.join(dir, ENSEMBLE_FILE)));
  const defaultDir = defaultModelDir(modelsDir);
  const versions: ModelVersion[] = [];
  for (const dir of [...singles, ...ensembles]) {
    const published = await publishModelFolder(deps, dir);
    versions.push(
      // The shipped default is evaluated offline (its model card), not in shadow: recorded as skippedShadow when fine-tuned.
      dir === defaultDir
        ? await activateModelVersion(deps.db, modelRef(published), author, { skipShadow: true })
        : published,
    );
  }
  return versions;
}

export function registerModelsCommand(program: Command): void {
  const models = program.command("models").description("manage the model versions the pipeline serves");
  registerImportOnnxCommand(models);
  registerModelLifecycleCommands(models);
  registerShadowCommands(models);
  registerModelOnnxCommands(models);
  models
    .command("publish <dir>")
    .description(
      "upload a trained model artifact (or register an ensemble.json folder) and register it; writes its model.onnx first if it lacks one",
    )
    .option("--activate", "serve this version from now on (recorded: models history)", false)
    .option("--reason <why>", "why it is activated, for the record", "models publish --activate")
    .option("--skip-shadow", "with --activate: as `models activate --skip-shadow`", false)
    .action(async (dir: string, options: { activate: boolean; reason: string; skipShadow: boolean }) => {
      const version = await withRegistry(async (deps) => {
        const published = await publishModelFolder(deps, path.resolve(dir));
        return options.activate
          ? activateModelVersion(deps.db, modelRef(published), changeAuthor(options.reason), {
              skipShadow: options.skipShadow,
            })
          : published;
      });
      console.log(
        `${version.name}@${version.version} ${version.active ? "active" : "registered"} at ${version.artifactUri}`,
      );
    });
  models
    .command("sync")
    .description(
      "register every shipped model under models/ as a ModelVersion with its artifact in object storage, and activate the default (models/default.json)",
    )
    .action(async () => {
      const versions = await withRegistry((deps) => syncModels(deps));
      for (const v of versions)
        console.log(`${v.name}@${v.version} ${v.active ? "active" : "registered"} at ${v.artifactUri}`);
    });
  withServingEngineOptions(
    models
      .command("calibrate <dir>")
      .description(
        "fit the model's temperature on its monitor blocks of --data and write it into leukoflow-model.json; with a target, fit its operating point instead (a model or an ensemble folder)",
      )
      .requiredOption("--data <dir>", "the folder of class subfolders the model was trained on")
      .option(
        "--target-sensitivity <s>",
        "image threshold on P(malignant): the highest that calls at least this share of malignant monitor images malignant",
      )
      .option(
        "--target-specificity <s>",
        "image threshold on P(malignant): the lowest that calls at least this share of benign monitor images benign",
      )
      .option(
        "--specimen-sensitivity <s>",
        "share of the monitor blocks' lab specimens (runs of 6-12 consecutive images) the specimen rule must call malignant",
        "1",
      )
      .option(
        "--tta <mode>",
        "test-time augmentation the threshold is fitted under, as the worker's INFERENCE_TTA",
        "flips",
      )
      .option(
        "--version <version>",
        "the new version an operating point is recorded under (its files change, so the version must)",
      ),
  ).action(
    async (
      dir: string,
      flags: ServingEngineFlags & {
        data: string;
        targetSensitivity?: string;
        targetSpecificity?: string;
        specimenSensitivity: string;
        tta: TtaMode;
        version?: string;
      },
    ) => {
      selectServingEngineFromFlags(flags);
      if (flags.targetSensitivity === undefined && flags.targetSpecificity === undefined) {
        const c = await calibrateModelTemperature(path.resolve(dir), path.resolve(flags.data));
        console.log(
          `T = ${c.temperature.toFixed(3)} on ${c.monitorImages} monitor images: ECE ${c.monitorEceBefore.toFixed(4)} → ${c.monitorEceAfter.toFixed(4)}`,
        );
        return;
      }
      if (flags.targetSensitivity !== undefined && flags.targetSpecificity !== undefined)
        throw new Error("give --target-sensitivity or --target-specificity, not both");
      if (flags.version === undefined) throw new Error("an operating point needs --version <new version>");
      const op = await calibrateOperatingPoint({
        modelDir: path.resolve(dir),
        dataDir: path.resolve(flags.data),
        version: flags.version,
        metric: flags.targetSensitivity === undefined ? "specificity" : "sensitivity",
        target: Number(flags.targetSensitivity ?? flags.targetSpecificity),
        specimenSensitivity: Number(flags.specimenSensitivity),
        tta: flags.tta,
      });
      const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
      const image = op.fittedOn,
        specimen = op.specimen.fittedOn;
      console.log(
        `image: P(malignant) ≥ ${op.malignantThreshold.toFixed(4)} on ${image.images} monitor images: sensitivity ${pct(image.sensitivity)}, specificity ${pct(image.specificity)}`,
      );
      console.log(
        `specimen: mean P(malignant) ≥ ${op.specimen.threshold.toFixed(4)} on ${specimen.specimens} monitor specimens: sensitivity ${pct(specimen.sensitivity)}, specificity ${pct(specimen.specificity)}; version ${flags.version}`,
      );
    },
  );
  withServingEngineOptions(
    models
      .command("calibrate-ood <dir>")
      .description(
        "fit the model's Mahalanobis OOD detector (Gaussians on its training images, threshold on its monitor blocks of --data), write ood-statistics.bin and the metadata's ood field under a new version",
      )
      .requiredOption("--data <dir>", "the folder of class subfolders the model was trained on")
      .requiredOption(
        "--version <version>",
        "the calibrated model's new version (its files change, so the version must)",
      )
      .option("--quantile <q>", "share of the monitor images left unflagged", String(DEFAULT_OOD_QUANTILE))
      .option("--shrinkage <s>", "covariance shrinkage towards its diagonal, in [0, 1]", String(DEFAULT_OOD_SHRINKAGE))
      .option(
        "--layers <names...>",
        "layers to score (default: the end of each spatial stage and the penultimate layer)",
      )
      .option(
        "--feature-output <names...>",
        "for a model imported from ONNX: the outputs to score (default: its features output)",
      ),
  ).action(
    async (
      dir: string,
      flags: ServingEngineFlags & {
        data: string;
        version: string;
        quantile: string;
        shrinkage: string;
        layers?: string[];
        featureOutput?: string[];
      },
    ) => {
      selectServingEngineFromFlags(flags);
      if (flags.layers && flags.featureOutput)
        throw new Error(
          "give --layers (a tfjs model's layers) or --feature-output (an imported model's ONNX outputs), not both",
        );
      const c = await calibrateModelOod({
        modelDir: path.resolve(dir),
        dataDir: path.resolve(flags.data),
        version: flags.version,
        quantile: Number(flags.quantile),
        shrinkage: Number(flags.shrinkage),
        layers: flags.layers ?? flags.featureOutput,
        engine: flags.engine,
      });
      // Other OOD layers need other outputs of the ONNX graph.
      if (await ensureModelOnnx(path.resolve(dir))) console.log("model.onnx re-exported with the new layers' outputs");
      console.log(
        `OOD: ${c.layers.map((l) => `${l.name} (${l.dimensions})`).join(", ")}; Gaussians on ${c.images.fitted} training images, threshold ${c.threshold.toFixed(3)} = quantile ${c.quantile} of ${c.images.calibrated} monitor images; version ${flags.version}`,
      );
    },
  );
  models
    .command("ensemble <name>")
    .description(
      "write models/<name>/ensemble.json (soft voting, weights fitted on the monitor blocks) with a report on their shared held-out blocks",
    )
    .requiredOption("--member <names...>", "member model folders under models/")
    .requiredOption("--data <dir>", "the members' training data folder")
    .option("--version <version>", "ensemble version", "1.0.0")
    .action(async (name: string, flags: { member: string[]; data: string; version: string }) => {
      const definition = await writeEnsemble({
        dir: path.join(MODELS_DIR, name),
        name,
        version: flags.version,
        members: flags.member,
        dataDir: path.resolve(flags.data),
      });
      const e = definition.evaluation as { n: number; accuracy: number; ece: number };
      console.log(`${name}: ${(e.accuracy * 100).toFixed(2)} % on ${e.n} held-out images, ECE ${e.ece.toFixed(4)}`);
    });
}
