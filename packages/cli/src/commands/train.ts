import path from "node:path";
import { Option, type Command } from "commander";
import {
  CLASS_BALANCES,
  DEFAULT_CLASS_BALANCE,
  type ClassBalance,
  DEFAULT_AUGMENT,
  DEFAULT_MONITOR_SPLIT,
  DEFAULT_TEST_SPLIT,
  ROBUST_AUGMENT,
  selectBackend,
  stderrProgress,
  trainFromFolders,
  TrainingInterruptedError,
  type AugmentOptions,
  type BackendPreference,
  type BlockSplitOptions,
} from "@leukoflow/ml";
import { MODELS_DIR, STATE_DIR } from "../paths.js";
import { stainNormalizationOption } from "../stain-normalization-option.js";
import type { StainNormalization } from "@leukoflow/contracts";

interface TrainFlags {
  name: string;
  version: string;
  out?: string;
  architecture: string;
  filters?: string;
  inputSize: string;
  stainNormalization: StainNormalization;
  epochs: string;
  batchSize: string;
  lr: string;
  patience: string;
  seed: string;
  augment: boolean;
  robust: boolean;
  rotation?: string;
  gamma?: string;
  whiteBalance?: string;
  stain?: string;
  hed?: string;
  blur?: string;
  blurSigma?: string;
  resolution?: string;
  noise?: string;
  jpeg?: string;
  classBalance: ClassBalance;
  testSplit: string;
  monitorSplit: string;
  limitPerClass?: string;
  initFrom?: string;
  extra?: string[];
  checkpointDir?: string;
  resume: boolean;
  backend: BackendPreference;
}

const formatSplit = ({ blocks, heldOutBlock, gap }: BlockSplitOptions): string =>
  `${blocks}:${heldOutBlock + 1}:${gap ?? 0}`;

/** "blocks:heldOut:gap" with a 1-based held-out block, e.g. 5:5:10 = the last fifth, 10 images either side dropped. */
function parseSplit(value: string): BlockSplitOptions {
  const [blocks, heldOut, gap] = value.split(":").map(Number);
  if (!Number.isInteger(blocks) || !Number.isInteger(heldOut) || heldOut! < 1 || heldOut! > blocks!)
    throw new Error(`bad split "${value}": expected blocks:heldOutBlock:gap, e.g. 5:5:10`);
  return { blocks: blocks!, heldOutBlock: heldOut! - 1, gap: gap ?? 0 };
}

/** The preset (`--robust` or the default), with any single part a flag names replaced. */
function augmentOptions(flags: TrainFlags): AugmentOptions {
  const preset = flags.robust ? ROBUST_AUGMENT : DEFAULT_AUGMENT;
  const pick = (flag: string | undefined, fallback: number): number => (flag === undefined ? fallback : Number(flag));
  return {
    ...preset,
    rotation: pick(flags.rotation, preset.rotation),
    gamma: pick(flags.gamma, preset.gamma),
    whiteBalance: pick(flags.whiteBalance, preset.whiteBalance),
    stain: pick(flags.stain, preset.stain),
    hed: pick(flags.hed, preset.hed),
    blur: pick(flags.blur, preset.blur),
    blurSigma: pick(flags.blurSigma, preset.blurSigma),
    resolution: pick(flags.resolution, preset.resolution),
    noise: pick(flags.noise, preset.noise),
    jpeg: pick(flags.jpeg, preset.jpeg),
  };
}

export function registerTrainCommand(program: Command): void {
  program
    .command("train <data...>")
    .description(
      "train a classifier on folders of class subfolders (original and/or segmented images), validated on contiguous file-number blocks",
    )
    .requiredOption("--name <name>", "model name; the artifact goes to models/<name> unless --out")
    .option("--version <semver>", "model version (a model's files never change under one name@version)", "1.0.0")
    .option("--out <dir>", "artifact and report folder")
    .option(
      "--architecture <name>",
      "leuko-cnn, mobilenet-v2, resnet50, efficientnet-b0, … (see packages/ml/src/architectures)",
      "leuko-cnn",
    )
    .option("--filters <list>", "leuko-cnn stage widths, e.g. 16,32,64,128")
    .option("--input-size <px>", "square input side", "64")
    .addOption(stainNormalizationOption("colour normalization of every image"))
    .option("--epochs <n>", "most epochs", "10")
    .option("--batch-size <n>", "images per step", "32")
    .option("--lr <rate>", "peak learning rate (Adam; 1 epoch linear warm-up, then cosine decay)", "0.002")
    .option("--patience <n>", "stop after this many epochs without a better monitor score", "4")
    .option("--seed <n>", "seed of initialisation, shuffling and augmentation", "7")
    .option("--no-augment", "train on the images as they are")
    .option(
      "--robust",
      "the robustness augmentation the shipped models use (stain, HED, white balance, gamma, rotation, blur, resolution, noise, JPEG); the flags below override single parts",
      false,
    )
    .option(
      "--rotation <degrees>",
      `largest rotation on top of quarter turns (default ${DEFAULT_AUGMENT.rotation}, robust ${ROBUST_AUGMENT.rotation})`,
    )
    .option(
      "--gamma <range>",
      `largest gamma change (default ${DEFAULT_AUGMENT.gamma}, robust ${ROBUST_AUGMENT.gamma})`,
    )
    .option(
      "--white-balance <range>",
      `largest red/blue gain change (default ${DEFAULT_AUGMENT.whiteBalance}, robust ${ROBUST_AUGMENT.whiteBalance})`,
    )
    .option(
      "--stain <range>",
      `largest optical-density gain change per channel (default ${DEFAULT_AUGMENT.stain}, robust ${ROBUST_AUGMENT.stain})`,
    )
    .option(
      "--hed <sigma>",
      `HED stain perturbation: scale 1 ± sigma, shift ± sigma/5 (default ${DEFAULT_AUGMENT.hed}, robust ${ROBUST_AUGMENT.hed})`,
    )
    .option(
      "--blur <probability>",
      `probability of a Gaussian blur (default ${DEFAULT_AUGMENT.blur}, robust ${ROBUST_AUGMENT.blur})`,
    )
    .option(
      "--blur-sigma <px>",
      `largest blur sigma in input pixels (default ${DEFAULT_AUGMENT.blurSigma}, robust ${ROBUST_AUGMENT.blurSigma})`,
    )
    .option(
      "--resolution <factor>",
      `smallest resampling factor, 1 = off (default ${DEFAULT_AUGMENT.resolution}, robust ${ROBUST_AUGMENT.resolution})`,
    )
    .option(
      "--noise <sigma>",
      `largest Gaussian sensor noise, 0–255 units (default ${DEFAULT_AUGMENT.noise}, robust ${ROBUST_AUGMENT.noise})`,
    )
    .option(
      "--jpeg <probability>",
      `probability of JPEG recompression at quality 30–90 (default ${DEFAULT_AUGMENT.jpeg}, robust ${ROBUST_AUGMENT.jpeg})`,
    )
    .addOption(
      new Option(
        "--class-balance <how>",
        "against unequal class sizes: loss (inverse-frequency class weights), sampling (each class equally likely per draw) or none",
      )
        .choices(CLASS_BALANCES)
        .default(DEFAULT_CLASS_BALANCE),
    )
    .option(
      "--test-split <b:k:gap>",
      "held-out test block: blocks, 1-based block, gap",
      formatSplit(DEFAULT_TEST_SPLIT),
    )
    .option(
      "--monitor-split <b:k:gap>",
      "monitor block within the rest (early stopping, temperature)",
      formatSplit(DEFAULT_MONITOR_SPLIT),
    )
    .option("--limit-per-class <n>", "at most n images per class on each side (quick runs)")
    .option(
      "--init-from <model dir>",
      "start from a trained model's weights (same architecture, filters, classes and split; any input size)",
    )
    .option(
      "--extra <dirs...>",
      "class folders whose images all go to the training side, e.g. a `leukoflow datasets export` of reviewed images (copies of images in <data> are dropped)",
    )
    .option("--checkpoint-dir <dir>", "checkpoints (default .leukoflow/checkpoints/<name>)")
    .option("--resume", "go on from the last checkpoint", false)
    .option("--backend <name>", "auto, tensorflow-gpu, tensorflow, wasm or cpu", "auto")
    .action(async (data: string[], flags: TrainFlags) => {
      await selectBackend(flags.backend);
      const outDir = path.resolve(flags.out ?? path.join(MODELS_DIR, flags.name));
      const checkpointDir = path.resolve(flags.checkpointDir ?? path.join(STATE_DIR, "checkpoints", flags.name));
      // The first Ctrl-C finishes the epoch and writes its checkpoint; `--resume` goes on from there.
      const interrupt = new AbortController();
      const onSigint = (): void => interrupt.abort();
      process.once("SIGINT", onSigint);
      const run = trainFromFolders({
        dataDirs: data.map((dir) => path.resolve(dir)),
        outDir,
        name: flags.name,
        version: flags.version,
        architecture: flags.architecture,
        stageFilters: flags.filters?.split(",").map(Number),
        inputSize: Number(flags.inputSize),
        stainNormalization: flags.stainNormalization,
        epochs: Number(flags.epochs),
        batchSize: Number(flags.batchSize),
        learningRate: Number(flags.lr),
        patience: Number(flags.patience),
        seed: Number(flags.seed),
        augment: flags.augment ? augmentOptions(flags) : null,
        classBalance: flags.classBalance,
        testSplit: parseSplit(flags.testSplit),
        monitorSplit: parseSplit(flags.monitorSplit),
        limitPerClass: flags.limitPerClass === undefined ? undefined : Number(flags.limitPerClass),
        initFrom: flags.initFrom === undefined ? undefined : path.resolve(flags.initFrom),
        extraDirs: flags.extra?.map((dir) => path.resolve(dir)),
        checkpointDir,
        resume: flags.resume,
        signal: interrupt.signal,
        progress: stderrProgress(),
      }).finally(() => process.off("SIGINT", onSigint));
      const outcome = await run.catch((error: unknown) => {
        if (!(error instanceof TrainingInterruptedError)) throw error;
        console.error(
          `${error.message}: leukoflow train … --name ${flags.name} --resume (checkpoint ${checkpointDir})`,
        );
        process.exitCode = 130;
        return undefined;
      });
      if (!outcome) return;
      const { metadata, report } = outcome;
      const t = report.test;
      console.log(
        `${metadata.name}: held-out accuracy ${(t.accuracy * 100).toFixed(1)} %, balanced ${(t.balancedAccuracy * 100).toFixed(1)} %, malignant sensitivity ${(t.malignant.sensitivity * 100).toFixed(1)} % specificity ${(t.malignant.specificity * 100).toFixed(1)} %, ECE ${t.ece.toFixed(4)} (T = ${report.temperature.toFixed(2)}); ${report.trainingSeconds} s; written to ${outDir}`,
      );
      if (report.initialisedFrom)
        console.log(
          `fine-tuned from ${report.initialisedFrom}: before it serves, \`models publish ${outDir}\` and \`models shadow ${metadata.name}@${metadata.version} --reason <why>\`, then \`models compare\` (models activate refuses it until it has scored live images in shadow)`,
        );
    });
}
