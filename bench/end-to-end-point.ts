/**
 * The end-to-end step of `npm run bench` alone, repeated: one worker process of each kind on
 * `--images` fresh smears per round, `--rounds` times on one warm ingest and s3rver, each round's
 * classified images/s and each process kind's CPU per image. To compare two revisions on a machine
 * whose speed drifts, run it in both checkouts in alternation and compare the rounds' means.
 * `--count-round-trips` also counts, per image, the Postgres statements and round trips and the
 * Redis commands the pipeline's processes send (through counting proxies, which cost some
 * throughput: read its counts, not its rates).
 *
 *   npx tsx bench/end-to-end-point.ts [--images 240] [--rounds 2] [--max-batch <the worker's default>]
 *     [--max-delay-ms <the worker's default>] [--count-round-trips] [--out bench/results/<name>.json]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import { InferenceEnv } from "@leukoflow/inference-worker";
import { defaultModelDir } from "@leukoflow/ml";
import { modelsDir } from "@leukoflow/shared";
import { startBenchServices } from "./pipeline/bench-services.js";
import { ariaImages } from "./pipeline/dataset-images.js";
import { startPipelineRun } from "./pipeline/pipeline-run.js";
import { measureScalingPoint, type ScalingPoint } from "./pipeline/worker-scaling.js";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "240" },
    rounds: { type: "string", default: "2" },
    "max-batch": { type: "string" },
    "max-delay-ms": { type: "string" },
    "count-round-trips": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const images = Number(values.images);
const rounds = Number(values.rounds);
const batching = {
  maxBatchSize: InferenceEnv.shape.INFERENCE_MAX_BATCH_SIZE.parse(values["max-batch"]),
  maxQueueDelayMs: InferenceEnv.shape.INFERENCE_MAX_QUEUE_DELAY_MS.parse(values["max-delay-ms"]),
};
const revision = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();

const services = await startBenchServices({ countRoundTrips: values["count-round-trips"] });
const run = await startPipelineRun(services, defaultModelDir(modelsDir()), {});
const points: ScalingPoint[] = [];
try {
  const smears = ariaImages(rounds * images);
  for (let round = 0; round < rounds; round++) {
    const { point } = await measureScalingPoint(
      run,
      smears.slice(round * images, (round + 1) * images),
      1,
      batching,
      async () => undefined,
    );
    points.push(point);
    console.log(JSON.stringify({ revision, round, ...point }));
  }
} finally {
  await run.close();
  await services.close();
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ revision, batching, points }, null, 2)}\n`);
