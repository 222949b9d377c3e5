/**
 * Images per hour a cluster sustains with N preprocess and M inference workers, predicted from the
 * per-image CPU costs the pipeline benchmark measured (bench/results/pipeline[-quick].json, the
 * one-worker-of-each-kind point), each worker with its own cores and ingest and the object store
 * scaled apart; first it checks the model against the benchmark's own 1- and 2-worker points,
 * measured on the benchmark machine's shared cores.
 *
 *   npx tsx bench/capacity-model.ts [--results bench/results/pipeline.json] [--workers 1,2,4,8,16]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { predictImagesPerSecond } from "./pipeline/capacity-model.js";
import type { PipelineBenchResult } from "./pipeline/pipeline-bench-result.js";

const { values } = parseArgs({
  options: {
    results: { type: "string", default: path.join(import.meta.dirname, "results", "pipeline.json") },
    workers: { type: "string", default: "1,2,4,8,16" },
  },
});
const result = JSON.parse(readFileSync(values.results, "utf8")) as PipelineBenchResult;
const { scaling, parallelism } = result.details;
const costs = scaling[0]!.cpuMsPerImage;
const perHour = (imagesPerSecond: number) => Math.round(imagesPerSecond * 3600);

console.log(
  `measured on ${result.machine.cores} shared cores (${result.measuredAt}), CPU ms per image: ${JSON.stringify(costs)}`,
);
console.log("\ncheck against the benchmark's own points (all processes on the same cores):");
console.log("workers of each kind | measured images/h | predicted images/h | predicted ÷ measured");
for (const point of scaling) {
  const n = point.workersOfEachKind;
  const predicted = predictImagesPerSecond(costs, parallelism, {
    preprocessWorkers: n,
    inferenceWorkers: n,
    sharedCores: result.machine.cores,
  });
  console.log(
    `${n} | ${perHour(point.classifiedImagesPerSecond)} | ${perHour(predicted)} | ${(predicted / point.classifiedImagesPerSecond).toFixed(2)}`,
  );
}

const counts = values.workers.split(",").map(Number);
console.log(
  "\npredicted images/h on a cluster (each worker its own cores; rows: preprocess workers, columns: inference workers):",
);
console.log(`N \\ M | ${counts.join(" | ")}`);
for (const n of counts) {
  const row = counts.map((m) =>
    perHour(
      predictImagesPerSecond(costs, parallelism, { preprocessWorkers: n, inferenceWorkers: m, sharedCores: Infinity }),
    ),
  );
  console.log(`${n} | ${row.join(" | ")}`);
}
