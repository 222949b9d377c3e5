import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { readModelMetadata } from "../model/model-metadata.js";
import { ENSEMBLE_FILE, type EnsembleDefinition } from "@leukoflow/contracts";
import { evaluateFolder } from "../evaluation/evaluate-folder.js";
import { softVote } from "../evaluation/soft-voting.js";
import { REPORT_FILES, writeEvaluationCharts } from "../evaluation/report-files.js";
import { classTables, evaluationTable } from "./training-report.js";

export interface WriteEnsembleOptions {
  /** The ensemble folder; members are sibling folders. */
  dir: string;
  name: string;
  version: string;
  members: string[];
  /** The members' training data: the ensemble is evaluated on their shared held-out blocks. */
  dataDir: string;
}

/** Every weight vector on the simplex with steps of 1/steps (each member at least one step). */
function simplexGrid(members: number, steps: number): number[][] {
  if (members === 1) return [[steps]];
  return Array.from({ length: steps - members + 1 }, (_, i) => i + 1).flatMap((first) =>
    simplexGrid(members - 1, steps - first).map((rest) => [first, ...rest]),
  );
}

const negativeLogLikelihood = (rows: Float32Array[], labels: number[]): number =>
  rows.reduce((sum, row, i) => sum - Math.log(Math.max(row[labels[i]!]!, 1e-12)), 0);

/**
 * Soft-voting weights minimising the negative log-likelihood on the members' shared monitor
 * blocks (never the held-out test blocks), searched on a 0.1 grid.
 */
async function fitWeights(memberDirs: string[], dataDir: string): Promise<number[]> {
  const monitor = [];
  // One member at a time: tfjs backend setup is not safe to run concurrently.
  for (const dir of memberDirs) monitor.push(await evaluateFolder({ modelDirs: [dir], dataDir, split: "monitor" }));
  const labels = monitor[0]!.labels;
  let best = { weights: memberDirs.map(() => 1), loss: Infinity };
  for (const steps of simplexGrid(memberDirs.length, 10)) {
    const weights = steps.map((s) => s / 10);
    const loss = negativeLogLikelihood(
      softVote(
        monitor.map((m) => m.probabilities),
        weights,
      ),
      labels,
    );
    if (loss < best.loss) best = { weights, loss };
  }
  return best.weights;
}

/** Writes ensemble.json (weights fitted on the monitor blocks) and a report of the ensemble on its members' held-out blocks. */
export async function writeEnsemble(options: WriteEnsembleOptions): Promise<EnsembleDefinition> {
  const memberDirs = options.members.map((name) => path.resolve(options.dir, "..", name));
  const metas = await Promise.all(memberDirs.map((dir) => readModelMetadata(dir)));
  const weights = await fitWeights(memberDirs, options.dataDir);
  const definition: EnsembleDefinition = {
    name: options.name,
    version: options.version,
    task: metas[0]!.task,
    members: metas.map((meta, i) => ({ name: meta.name, version: meta.version, weight: weights[i]! })),
  };
  await mkdir(options.dir, { recursive: true });
  await writeFile(path.join(options.dir, ENSEMBLE_FILE), `${JSON.stringify(definition, null, 2)}\n`);
  const memberResults = [];
  for (const meta of metas) {
    memberResults.push([
      meta.name,
      (
        await evaluateFolder({
          modelDirs: [path.resolve(options.dir, "..", meta.name)],
          dataDir: options.dataDir,
          split: "held-out",
        })
      ).evaluation,
    ] as const);
  }
  const result = await evaluateFolder({ modelDirs: [options.dir], dataDir: options.dataDir, split: "held-out" });
  const withReport: EnsembleDefinition = {
    ...definition,
    combination:
      "soft voting: weighted mean of each member's softmax(logits / its temperature); weights minimise the log-loss on the monitor blocks",
    validation: {
      dataset: metas[0]!.validation.dataset,
      split: metas[0]!.validation.split,
      images: result.evaluation.n,
      heldOutRanges: metas[0]!.validation.heldOutRanges,
    },
    evaluation: result.evaluation,
  };
  await writeFile(path.join(options.dir, ENSEMBLE_FILE), `${JSON.stringify(withReport, null, 2)}\n`);
  await writeFile(
    path.join(options.dir, REPORT_FILES.json),
    `${JSON.stringify({ ensemble: result.evaluation, members: Object.fromEntries(memberResults) }, null, 2)}\n`,
  );
  await writeFile(
    path.join(options.dir, REPORT_FILES.markdown),
    `# ${options.name} — soft-voting ensemble of ${metas.map((m) => m.name).join(", ")}

Weighted mean of each member's temperature-scaled probabilities, exactly as the inference worker
serves it; weights ${definition.members.map((m) => `${m.name} ${m.weight}`).join(", ")}, chosen on the monitor blocks by log-loss. Evaluated on the members' common held-out blocks (${metas[0]!.validation.dataset}):
${metas[0]!.validation.split}.

${evaluationTable([[`${options.name} (ensemble)`, result.evaluation], ...memberResults.map(([name, e]) => [name, e] as [string, typeof e])])}

${classTables(result.evaluation)}

![confusion matrix](${REPORT_FILES.confusion}) ![ROC](${REPORT_FILES.roc}) ![reliability](${REPORT_FILES.reliability})
`,
  );
  await writeEvaluationCharts(options.dir, options.name, result.evaluation, result.curves);
  return withReport;
}
