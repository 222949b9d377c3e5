// The per-cell experiment of docs/model-card.md, step 2: soft-votes a whole-field model with a model
// trained on bench/largest-cell-crops.ts's crops, image by image; the weight of the field model is
// the one with the lowest log-loss on the monitor blocks, and the held-out accuracy is printed for
// every weight 0, 0.1 … 1.
//   npx tsx bench/field-and-cell-vote.ts --field models/aria-robust-cnn-112 --cell <crop model> --crops <dir>
import path from "node:path";
import { parseArgs } from "node:util";
import { evaluateFolder, type SplitSelection } from "@leukoflow/ml";
import { ariaOriginalDir } from "@leukoflow/shared";

const DATASET = ariaOriginalDir();
const { values } = parseArgs({
  options: { field: { type: "string" }, cell: { type: "string" }, crops: { type: "string" } },
});
if (!values.field || !values.cell || !values.crops) throw new Error("--field, --cell and --crops are required");

interface Scored {
  label: number;
  field: Float32Array;
  cell: Float32Array;
}

const imageKey = (file: string) => `${path.basename(path.dirname(file))}/${path.parse(file).name}`;
async function probabilities(modelDir: string, dataDir: string, split: SplitSelection) {
  const {
    files,
    probabilities: rows,
    labels,
  } = await evaluateFolder({ modelDirs: [modelDir], dataDir, split, tta: "none" });
  return new Map(files.map((file, i) => [imageKey(file), { label: labels[i]!, row: rows[i]! }]));
}
async function scored(split: SplitSelection): Promise<Scored[]> {
  const field = await probabilities(values.field!, DATASET, split);
  const cell = await probabilities(values.cell!, values.crops!, split);
  return [...field].map(([key, { label, row }]) => ({ label, field: row, cell: cell.get(key)!.row }));
}
function vote(images: Scored[], weight: number) {
  let correct = 0;
  let logLoss = 0;
  for (const { label, field, cell } of images) {
    const mixed = Array.from(field, (p, c) => weight * p + (1 - weight) * cell[c]!);
    if (mixed.indexOf(Math.max(...mixed)) === label) correct += 1;
    logLoss -= Math.log(Math.max(mixed[label]!, 1e-9));
  }
  return { accuracy: correct / images.length, logLoss: logLoss / images.length };
}

const weights = Array.from({ length: 11 }, (_, i) => i / 10);
const monitor = await scored("monitor");
const chosen = weights.reduce((best, w) => (vote(monitor, w).logLoss < vote(monitor, best).logLoss ? w : best));
const heldOut = await scored("held-out");
console.log(`field-model weight chosen on the monitor blocks: ${chosen}`);
for (const w of weights)
  console.log(`weight ${w.toFixed(1)}: held-out accuracy ${(vote(heldOut, w).accuracy * 100).toFixed(1)} %`);
