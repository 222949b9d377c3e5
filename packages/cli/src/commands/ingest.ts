import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import pMap from "p-map";
import { NodeIngestApiClient, type SpecimenReport } from "@leukoflow/api-client/node";
import { convertPathToPattern, glob } from "tinyglobby";
import { formatTable } from "../table.js";

const IMAGE_EXTENSIONS = "jpg,jpeg,png,tif,tiff,bmp,webp";
/** Files declared per upload request; well under the API's MAX_FILES_PER_REQUEST default. */
const TICKET_BATCH = 100;

export interface IngestOptions {
  specimen: string;
  url: string;
  apiKey: string;
  concurrency: number;
  wait: boolean;
  timeoutSeconds: number;
}

interface LocalFile {
  filePath: string;
  fileName: string;
  byteSize: number;
  sha256: string;
}

export interface IngestOutcome {
  uploaded: number;
  skipped: number;
  failed: { fileName: string; reason: string }[];
  report: SpecimenReport | null;
  ok: boolean;
}

export function registerIngestCommand(program: Command): void {
  program
    .command("ingest <paths...>")
    .description("upload a folder or glob of images to a specimen, wait for the results and print them")
    .requiredOption("--specimen <accession>", "the lab's accession number; the specimen is registered if new")
    .option("--url <url>", "ingest API base URL (LEUKOFLOW_URL)", process.env.LEUKOFLOW_URL ?? "http://127.0.0.1:8080")
    .option("--api-key <key>", "lab API key with the WRITE scope (LEUKOFLOW_API_KEY)", process.env.LEUKOFLOW_API_KEY)
    .option("--concurrency <n>", "parallel uploads", "8")
    .option("--timeout <seconds>", "give up waiting for results after this long", "600")
    .option("--no-wait", "return once the images are accepted")
    .action(
      async (
        paths: string[],
        options: {
          specimen: string;
          url: string;
          apiKey?: string;
          concurrency: string;
          timeout: string;
          wait: boolean;
        },
      ) => {
        if (!options.apiKey) throw new Error("an API key is required: --api-key or LEUKOFLOW_API_KEY");
        const outcome = await ingestImages(paths, {
          specimen: options.specimen,
          url: options.url,
          apiKey: options.apiKey,
          concurrency: Math.max(1, Number(options.concurrency)),
          wait: options.wait,
          timeoutSeconds: Number(options.timeout),
        });
        if (!outcome.ok) process.exitCode = 1;
      },
    );
}

/**
 * Uploads every image the paths name straight to storage, skipping those the lab already has
 * (matched by sha256, so an interrupted run resumes where it stopped), then follows the specimen
 * until it completes and prints its report.
 */
export async function ingestImages(
  paths: string[],
  options: IngestOptions,
  io: { out: NodeJS.WritableStream; log: NodeJS.WritableStream } = { out: process.stdout, log: process.stderr },
): Promise<IngestOutcome> {
  const { log } = io;
  const files = await findImages(paths);
  if (files.length === 0) throw new Error(`no images (${IMAGE_EXTENSIONS}) found in ${paths.join(" ")}`);
  const client = new NodeIngestApiClient(options.url.replace(/\/$/, ""), options.apiKey);
  const specimen = await client.ensureSpecimen(options.specimen);

  const hashing = new ProgressBar("hashing", files.length, log);
  const local = await pMap(
    files,
    async (filePath) => {
      const described = await describeFile(filePath);
      hashing.tick();
      return described;
    },
    { concurrency: options.concurrency },
  );
  hashing.finish();

  const outcome: IngestOutcome = { uploaded: 0, skipped: 0, failed: [], report: null, ok: false };
  const uploading = new ProgressBar("uploading", local.length, log);
  for (let start = 0; start < local.length; start += TICKET_BATCH) {
    const batch = local.slice(start, start + TICKET_BATCH);
    const tickets = await client.requestUploads(
      specimen.id,
      batch.map(({ fileName, byteSize, sha256 }) => ({ fileName, byteSize, sha256 })),
    );
    await pMap(
      tickets,
      async (ticket, i) => {
        try {
          if (ticket.status === "duplicate") {
            outcome.skipped += 1;
          } else {
            await client.putFile(ticket.url, batch[i]!.filePath);
            await client.completeUpload(ticket.uploadId);
            outcome.uploaded += 1;
          }
        } catch (error) {
          outcome.failed.push({
            fileName: batch[i]!.fileName,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
        uploading.tick();
      },
      { concurrency: options.concurrency },
    );
  }
  uploading.finish();
  log.write(
    `specimen ${specimen.accession}: ${outcome.uploaded} uploaded, ${outcome.skipped} already uploaded, ${outcome.failed.length} failed\n`,
  );
  for (const failure of outcome.failed) log.write(`  ✗ ${failure.fileName}: ${failure.reason}\n`);
  if (!options.wait) {
    outcome.ok = outcome.failed.length === 0;
    return outcome;
  }

  const accepted = await client.report(specimen.id);
  if (accepted.images.length > 0 && (accepted.status === "RECEIVED" || accepted.status === "PROCESSING")) {
    const classifying = new ProgressBar("classifying", accepted.images.length, log);
    await client.followSpecimen(
      specimen.id,
      {
        onProgress: (progress) =>
          classifying.set(progress.images.CLASSIFIED + progress.images.FAILED, progress.images.total),
      },
      AbortSignal.timeout(options.timeoutSeconds * 1000),
    );
    classifying.finish();
  }
  const report = await client.report(specimen.id);
  outcome.report = report;
  io.out.write(`${reportTable(report)}\n`);
  const failedImages = report.images.filter((image) => image.status === "FAILED").length;
  outcome.ok = outcome.failed.length === 0 && report.status === "COMPLETED" && failedImages === 0;
  return outcome;
}

async function findImages(paths: string[]): Promise<string[]> {
  const patterns = await Promise.all(
    paths.map(async (entry) => {
      const info = await stat(entry).catch(() => null);
      return info?.isDirectory() ? `${convertPathToPattern(path.resolve(entry))}/**/*.{${IMAGE_EXTENSIONS}}` : entry;
    }),
  );
  const found = await glob(patterns, { absolute: true, caseSensitiveMatch: false, onlyFiles: true });
  return [...new Set(found)].sort();
}

async function describeFile(filePath: string): Promise<LocalFile> {
  const hash = createHash("sha256");
  let byteSize = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    byteSize += chunk.length;
  }
  return { filePath, fileName: path.basename(filePath), byteSize, sha256: hash.digest("hex") };
}

function reportTable(report: SpecimenReport): string {
  const rows = report.images.map((image) => [
    image.originalName ?? image.id,
    image.prediction?.label ?? "-",
    image.prediction ? image.prediction.confidence.toFixed(3) : "-",
    image.status === "FAILED" ? `FAILED: ${image.failureReason}` : image.status,
  ]);
  const summary = report.summary;
  const verdict = summary
    ? `${report.accession} ${report.status}: ${summary.call}${summary.dominantSubtype ? ` (${summary.dominantSubtype})` : ""}, ` +
      `${summary.classifiedCount}/${summary.imageCount} classified, malignant fraction ${(summary.malignantFraction * 100).toFixed(0)}%`
    : `${report.accession} ${report.status}`;
  return `${formatTable(["image", "predicted", "confidence", "status"], rows)}\n\n${verdict}`;
}

/** One line of progress on a terminal, redrawn in place; silent when the log is not a terminal. */
class ProgressBar {
  private done = 0;
  private readonly interactive: boolean;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly out: NodeJS.WritableStream,
  ) {
    this.interactive = Boolean((out as NodeJS.WriteStream).isTTY);
  }

  tick(): void {
    this.set(this.done + 1, this.total);
  }

  set(done: number, total: number): void {
    this.done = done;
    this.total = total;
    if (!this.interactive) return;
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    this.out.write(
      `\r${this.label.padEnd(12)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.done}/${this.total}`,
    );
  }

  finish(): void {
    this.out.write(this.interactive ? "\n" : `${this.label}: ${this.done}/${this.total}\n`);
  }
}
