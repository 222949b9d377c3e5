/**
 * Soak: pushes many real images through the whole pipeline (ingest, preprocess-worker and
 * inference-worker as processes, on the local stack) and samples each process's resident memory
 * and open file descriptors over time, to show both stay flat; ends by checking that Predictions
 * equal the images accepted. The dataset holds about 3,250 images and a lab's identical bytes are
 * deduplicated, so each pass over the dataset uploads as a lab of its own.
 *
 * The preprocess worker runs on jemalloc (LD_PRELOAD), as its production image does
 * (infra/docker/Dockerfile); `--allocator glibc` runs it on glibc's malloc instead. The result is
 * written when the run ends, and also every minute and on SIGINT/SIGTERM with `"complete": false`,
 * so a run stopped early still leaves its samples.
 *
 *   npx tsx bench/soak.ts [--images 10000] [--batch 50] [--allocator jemalloc|glibc] [--out bench/results/soak.json]
 *     → exit 1 when counts differ
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { publishModel } from "@leukoflow/model-registry";
import {
  applyMigrations,
  CommonEnv,
  Database,
  issueApiKey,
  objectStoreFromEnv,
  parseEnv,
  ariaOriginalDir,
  modelsDir,
} from "@leukoflow/shared";
import { createPrismaClient } from "@leukoflow/shared/prisma";
import { stackUp, freePort } from "@leukoflow/stack";
import { AppProcess } from "../test/support/app-process.js";
import { processStats } from "../test/support/process-stats.js";
import { BENCH_ACTIVATION } from "./pipeline/pipeline-run.js";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "10000" },
    batch: { type: "string", default: "50" },
    allocator: { type: "string", default: "jemalloc" },
    out: { type: "string", default: "bench/results/soak.json" },
  },
});
const IMAGES = Number(values.images);
const BATCH = Number(values.batch);
const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.resolve(ROOT, values.out);
// Debian's libjemalloc2, at the path the production image preloads (its multiarch directory).
const JEMALLOC =
  process.env.JEMALLOC_PATH ?? `/usr/lib/${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu/libjemalloc.so.2`;
if (values.allocator !== "jemalloc" && values.allocator !== "glibc")
  throw new Error(`--allocator is jemalloc or glibc, not ${values.allocator}`);
if (values.allocator === "jemalloc" && !existsSync(JEMALLOC))
  throw new Error(`${JEMALLOC} is missing: apt-get install libjemalloc2, or run with --allocator glibc`);
const ORIGINALS = ariaOriginalDir();
const SAMPLE_EVERY_MS = 5_000;
const STALL_LIMIT_MS = 300_000;

const dataset = readdirSync(ORIGINALS)
  .sort()
  .flatMap((label) =>
    readdirSync(path.join(ORIGINALS, label))
      .filter((file) => file.endsWith(".jpg"))
      .sort()
      .map((file) => path.join(ORIGINALS, label, file)),
  );
const runId = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const stackEnv = await stackUp({ stateDir: path.join(ROOT, ".leukoflow") });
const common = parseEnv(CommonEnv, { ...process.env, ...stackEnv });
await applyMigrations(common.DATABASE_URL, path.join(ROOT, "prisma", "migrations"));
const prisma = createPrismaClient(common.DATABASE_URL, 2);
await publishModel(
  { db: new Database(prisma), objectStore: objectStoreFromEnv(common) },
  path.join(modelsDir(), "aria-cnn-v1"),
  BENCH_ACTIVATION,
);

const port = await freePort();
const env: Record<string, string> = {
  ...(Object.fromEntries(
    Object.entries({ ...process.env, ...stackEnv }).filter(([, value]) => value !== undefined),
  ) as Record<string, string>),
  QUEUE_PREFIX: `{lf-soak-${runId}}`,
  HOST: "127.0.0.1",
  PORT: String(port),
  METRICS_HOST: "127.0.0.1",
  METRICS_PORT: "0",
  LOG_LEVEL: "warn",
  TF_BACKEND: process.env.TF_BACKEND ?? "wasm",
  MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-soak-models-")),
};
const preprocessEnv = values.allocator === "jemalloc" ? { ...env, LD_PRELOAD: JEMALLOC } : env;
const apps = (["ingest", "preprocess-worker", "inference-worker"] as const).map((app) =>
  new AppProcess(app, app === "preprocess-worker" ? preprocessEnv : env).start(),
);
const preprocessPid = apps.find((app) => app.app === "preprocess-worker")!.pid;
// The apps must not outlive a soak that fails half-way.
process.on("exit", () => apps.forEach((app) => void app.stop("SIGKILL")));
const baseUrl = `http://127.0.0.1:${port}`;
while (!(await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok) await sleep(200);
// The allocator the preprocess worker really runs on, read from its memory map rather than assumed.
const preprocessAllocator = readFileSync(`/proc/${preprocessPid}/maps`, "utf8").includes("libjemalloc")
  ? "jemalloc"
  : "glibc";
if (preprocessAllocator !== values.allocator)
  throw new Error(`the preprocess worker runs on ${preprocessAllocator}, not ${values.allocator}`);

const labIds: string[] = [];
const labKeys = new Map<string, string>();
const imageIds = new Set<string>();
const samples: {
  seconds: number;
  uploaded: number;
  classified: number;
  failed: number;
  processes: Record<string, { rssMiB: number; openFds: number }>;
}[] = [];
const started = Date.now();
const settledCount = async () => {
  const [classified, failed] = await Promise.all(
    (["CLASSIFIED", "FAILED"] as const).map((status) =>
      prisma.image.count({ where: { labId: { in: labIds }, status } }),
    ),
  );
  return { classified: classified!, failed: failed! };
};
const sample = async () => {
  const counts = await settledCount();
  samples.push({
    seconds: Math.round((Date.now() - started) / 1000),
    uploaded: imageIds.size,
    ...counts,
    processes: Object.fromEntries(apps.map((app) => [app.app, processStats(app.pid)])),
  });
  const last = samples.at(-1)!;
  console.error(`${last.seconds}s uploaded ${last.uploaded} classified ${last.classified} failed ${last.failed}`);
  return counts;
};
const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
const writeResult = (result: Record<string, unknown>) => {
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), images: IMAGES, preprocessAllocator, ...result, sampleEveryMs: SAMPLE_EVERY_MS, samples }, null, 2)}\n`,
  );
};
const writePartial = () => {
  const last = samples.at(-1);
  writeResult({
    complete: false,
    accepted: imageIds.size,
    classified: last?.classified ?? 0,
    failed: last?.failed ?? 0,
    seconds: Math.round((Date.now() - started) / 1000),
  });
};
const checkpoint = setInterval(writePartial, 60_000);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    writePartial();
    console.error(
      `stopped by ${signal} after ${samples.length} samples → ${path.relative(ROOT, OUT)} (complete: false)`,
    );
    process.exit(130);
  });
}

try {
  for (let offset = 0; offset < IMAGES; offset += BATCH) {
    const pass = Math.floor(offset / dataset.length);
    if (labIds.length <= pass) labIds.push(await createLab(`soak-${runId}-${pass}`));
    const key = labKeys.get(labIds[pass]!)!;
    const files = Array.from(
      { length: Math.min(BATCH, IMAGES - offset) },
      (_, i) => dataset[(offset + i) % dataset.length]!,
    );
    const specimen = (await (
      await api(
        key,
        "POST",
        "/v1/specimens",
        JSON.stringify({ accession: `SOAK-${runId}-${offset}` }),
        "application/json",
      )
    ).json()) as { id: string };
    const form = new FormData();
    for (const file of files) form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    let response = await api(key, "POST", `/v1/specimens/${specimen.id}/images`, form);
    while (response.status === 503 || response.status === 429) {
      await sleep(Number(response.headers.get("retry-after") ?? 5) * 1000);
      response = await api(key, "POST", `/v1/specimens/${specimen.id}/images`, form);
    }
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    for (const accepted of ((await response.json()) as { accepted: { imageId: string }[] }).accepted)
      imageIds.add(accepted.imageId);
  }
  let lastProgress = { at: Date.now(), settled: -1 };
  for (;;) {
    const { classified, failed } = await settledCount();
    if (classified + failed >= imageIds.size) break;
    if (classified + failed > lastProgress.settled) lastProgress = { at: Date.now(), settled: classified + failed };
    if (Date.now() - lastProgress.at > STALL_LIMIT_MS)
      throw new Error(`no progress for ${STALL_LIMIT_MS / 1000}s at ${classified + failed}/${imageIds.size}`);
    await sleep(1_000);
  }
} finally {
  clearInterval(sampler);
  clearInterval(checkpoint);
}
const final = await sample();
const predictions = await prisma.prediction.count({ where: { image: { labId: { in: labIds } } } });
await Promise.all(apps.map((app) => app.stop()));
await prisma.$disconnect();

const result = {
  complete: true,
  accepted: imageIds.size,
  ...final,
  predictions,
  countsMatch: predictions === final.classified && final.classified + final.failed === imageIds.size,
  seconds: Math.round((Date.now() - started) / 1000),
};
writeResult(result);
console.log(
  `${imageIds.size} images, ${predictions} predictions, ${final.failed} failed, ${result.seconds}s → ${path.relative(ROOT, OUT)}`,
);
process.exitCode = result.countsMatch ? 0 : 1;

async function createLab(slug: string): Promise<string> {
  const lab = await prisma.lab.create({ data: { slug, name: slug } });
  const { key } = await issueApiKey(new Database(prisma), {
    labId: lab.id,
    name: "soak",
    scopes: ["READ", "WRITE"],
    actor: "soak",
  });
  labKeys.set(lab.id, key);
  return lab.id;
}

function api(
  key: string,
  method: string,
  route: string,
  body?: RequestInit["body"],
  contentType?: string,
): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    ...(contentType ? { "content-type": contentType } : {}),
  };
  return fetch(`${baseUrl}${route}`, { method, headers, body });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
