import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import {
  clinicalFigures,
  defaultModelDir,
  evaluateFolder,
  SHIFT_SUITE,
  shiftNamed,
  TTA_MODES,
  writeEvaluationCharts,
  type BackendPreference,
  type Estimate,
  type Evaluation,
  type SplitSelection,
  type TtaMode,
} from "@leukoflow/ml";
import { MODELS_DIR } from "../paths.js";
import {
  selectServingEngineFromFlags,
  withServingEngineOptions,
  type ServingEngineFlags,
} from "../serving-engine-options.js";
import { oodReport } from "./ood-report.js";

interface EvaluateFlags extends ServingEngineFlags {
  model?: string[];
  data: string;
  split: SplitSelection;
  shift?: string[];
  tta: TtaMode;
  ood?: string;
  json: boolean;
  charts?: string;
  backend: BackendPreference;
}

const pct = (value: number): string => `${(value * 100).toFixed(2)} %`;
const withInterval = (e: Estimate, format = pct): string =>
  `${format(e.value)} (95 % CI ${format(e.low)}–${format(e.high)})`;

export function registerEvaluateCommand(program: Command): void {
  withServingEngineOptions(
    program
      .command("evaluate")
      .description(
        "evaluate a model, a soft-voting ensemble of several, or the shipped default, on a folder of class subfolders",
      )
      .option("--model <dir...>", "model or ensemble folder(s); several are averaged (default: the shipped default)")
      .requiredOption("--data <dir>", "folder with subfolders benign, early_pre_b, pre_b, pro_b")
      .option(
        "--split <which>",
        "all images, or only the model's own held-out (held-out), monitor or training (train) blocks when --data is its training data",
        "all",
      )
      .option(
        "--shift <names...>",
        `also evaluate under distribution shifts (${Object.keys(SHIFT_SUITE).join(", ")}, or all); see packages/ml/src/data/shift-suite.ts`,
      )
      .option(
        "--tta <mode>",
        `test-time augmentation, as the inference worker's INFERENCE_TTA (${TTA_MODES.join(", ")}); none scores the model alone, as its training report does`,
        "flips",
      )
      .option(
        "--ood <dir>",
        "also give the share of the images under <dir> (any layout) and of the evaluated --data images that the model flags out_of_distribution (needs models calibrate-ood)",
      )
      .option("--json", "print one JSON object", false)
      .option("--charts <dir>", "also write the confusion matrix, ROC curve and reliability diagram PNGs there")
      .option(
        "--backend <name>",
        "tfjs backend (also for the arithmetic around ONNX Runtime): auto, tensorflow-gpu, tensorflow, wasm or cpu",
        "auto",
      ),
  ).action(async (flags: EvaluateFlags) => {
    const modelDirs = (flags.model ?? [defaultModelDir(MODELS_DIR)]).map((dir) => path.resolve(dir));
    const log = flags.json ? () => {} : (line: string) => console.error(line);
    selectServingEngineFromFlags(flags, log);
    if (!TTA_MODES.includes(flags.tta))
      throw new Error(`--tta must be one of ${TTA_MODES.join(", ")}, not "${flags.tta}"`);
    const evaluate = (shift?: string): ReturnType<typeof evaluateFolder> =>
      evaluateFolder({
        modelDirs,
        dataDir: path.resolve(flags.data),
        split: flags.split,
        tta: flags.tta,
        backend: flags.backend,
        log,
        shift: shift === undefined ? undefined : shiftNamed(shift),
      });
    const result = await evaluate();
    const { evaluation: e } = result;
    const scored = result.probabilities.map((probabilities, i) => ({
      probabilities,
      label: result.labels[i]!,
      fileNumber: result.fileNumbers[i]!,
    }));
    const clinical = clinicalFigures(scored, e.classes, result.malignantClasses, result.thresholds);
    if (flags.charts) {
      await mkdir(flags.charts, { recursive: true });
      await writeEvaluationCharts(flags.charts, result.members.map((m) => m.name).join(" + "), e, result.curves);
    }
    const shiftNames = flags.shift?.includes("all") ? Object.keys(SHIFT_SUITE) : (flags.shift ?? []);
    const shifts: Record<string, Evaluation> = {};
    for (const name of shiftNames) {
      shifts[name] = (await evaluate(name)).evaluation;
    }
    if (flags.ood && flags.split === "all")
      console.error(
        "inDistributionFlagRate counts every image of --data; on the model's own dataset give --split held-out",
      );
    const ood = flags.ood ? await oodReport(modelDirs, flags.ood, result.files, shiftNames) : undefined;
    const worst = Object.entries(shifts).sort(([, a], [, b]) => a.accuracy - b.accuracy)[0];
    const shiftReport = worst
      ? {
          shifts,
          worstShift: { name: worst[0], accuracy: worst[1].accuracy, balancedAccuracy: worst[1].balancedAccuracy },
        }
      : {};
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ ...e, split: flags.split, tta: result.tta, models: result.members, clinical, ...shiftReport, ...ood })}\n`,
      );
      return;
    }
    console.log(
      `${result.members.map((m) => `${m.name} (weight ${m.weight.toFixed(2)}, T ${m.temperature.toFixed(2)})`).join(" + ")} on ${e.n} images (${flags.split}, TTA ${result.tta})`,
    );
    const { image, specimen } = clinical;
    console.log(
      `accuracy ${withInterval(image.accuracy)}  balanced ${withInterval(image.balancedAccuracy)}  ECE ${withInterval(image.ece, (v) => v.toFixed(4))}  weighted F1 ${e.weightedF1.toFixed(4)}`,
    );
    console.log(
      `malignant (P(malignant) ≥ ${clinical.thresholds.image.toFixed(4)}): sensitivity ${withInterval(image.sensitivity)} of ${image.malignant}  specificity ${withInterval(image.specificity)} of ${image.benign}  AUC ${withInterval(image.auc, (v) => v.toFixed(4))}  sensitivity at specificity ≥ 95 % ${pct(e.malignant.sensitivityAtSpecificity95)}`,
    );
    console.log(
      `specimens (${specimen.specimens} runs of ${specimen.imagesPerSpecimen.join("-")} consecutive images, mean P(malignant) ≥ ${clinical.thresholds.specimen.toFixed(4)}): sensitivity ${withInterval(specimen.sensitivity)} of ${specimen.malignant}  specificity ${withInterval(specimen.specificity)} of ${specimen.benign}`,
    );
    for (const name of e.classes) {
      const c = e.perClass[name]!;
      console.log(
        `  ${name.padEnd(12)} precision ${pct(c.precision)}  recall ${pct(c.recall)}  F1 ${c.f1.toFixed(4)}  (${c.support})`,
      );
    }
    for (const [name, s] of Object.entries(shifts)) {
      console.log(
        `shift ${name.padEnd(16)} accuracy ${pct(s.accuracy)}  balanced ${pct(s.balancedAccuracy)}  malignant sensitivity ${pct(s.malignant.sensitivity)}  ECE ${s.ece.toFixed(4)}`,
      );
    }
    if (worst) console.log(`worst shift: ${worst[0]} (${pct(worst[1].accuracy)})`);
    if (ood) {
      console.log(
        `flagged out_of_distribution: ${pct(ood.ood.flagRate)} of ${ood.ood.n} images under ${flags.ood}, ${pct(ood.inDistributionFlagRate)} of the ${e.n} evaluated images`,
      );
      for (const [name, rate] of Object.entries(ood.inDistributionFlagRateUnderShift ?? {}))
        console.log(`  under shift ${name.padEnd(16)} ${pct(rate)}`);
    }
  });
}
