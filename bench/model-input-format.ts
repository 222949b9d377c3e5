/**
 * The form the model input travels in between the two workers: raw uint8 pixels with LeukoFlow's
 * 12-byte header, lossless WebP or PNG, on real smears made into the default model's input (112 px,
 * centre crop) as the preprocess worker makes it. Per form: bytes stored, CPU milliseconds to encode
 * (preprocess worker) and to decode back to pixels (inference worker), one image at a time on one
 * libvips thread; every decode is checked to give back the same pixels.
 *
 *   npx tsx bench/model-input-format.ts [--images 400] [--size 112]   → bench/results/model-input-format.json
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { decodeModelInputPixels, encodeModelInputPixels, ariaOriginalDir } from "@leukoflow/shared";

const { values } = parseArgs({
  options: { images: { type: "string", default: "400" }, size: { type: "string", default: "112" } },
});
const IMAGES = Number(values.images);
const SIZE = Number(values.size);
const ORIGINALS = ariaOriginalDir();

sharp.concurrency(1);
const files = readdirSync(ORIGINALS)
  .sort()
  .flatMap((label) =>
    readdirSync(path.join(ORIGINALS, label))
      .sort()
      .map((file) => path.join(ORIGINALS, label, file)),
  );
// Spread over the classes (each was photographed under its own conditions, so compresses differently).
const picked = Array.from({ length: IMAGES }, (_, i) => files[Math.floor((i * files.length) / IMAGES)]!);
const inputs = await Promise.all(
  picked.map((file) => sharp(readFileSync(file)).rotate().resize(SIZE, SIZE, { fit: "cover" }).raw().toBuffer()),
);

interface Form {
  encode(pixels: Buffer): Promise<Buffer>;
  decode(bytes: Buffer): Promise<Buffer>;
}
const raw = { raw: { width: SIZE, height: SIZE, channels: 3 as const } };
const FORMS: Record<string, Form> = {
  raw: {
    encode: async (pixels) => encodeModelInputPixels({ width: SIZE, height: SIZE, channels: 3, data: pixels }),
    decode: async (bytes) => Buffer.from(decodeModelInputPixels(bytes).data),
  },
  webpLossless: {
    encode: (pixels) => sharp(pixels, raw).webp({ lossless: true }).toBuffer(),
    decode: (bytes) => sharp(bytes).removeAlpha().raw().toBuffer(),
  },
  png: {
    encode: (pixels) => sharp(pixels, raw).png().toBuffer(),
    decode: (bytes) => sharp(bytes).raw().toBuffer(),
  },
};

/** CPU milliseconds per image of `work`, user+system of this process (libvips runs on its own threads). */
async function cpuMsPerImage(work: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, IMAGES); i += 1) await work(i);
  const before = process.cpuUsage();
  for (let i = 0; i < IMAGES; i += 1) await work(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / IMAGES;
}

const results: Record<string, { meanBytes: number; encodeCpuMs: number; decodeCpuMs: number }> = {};
for (const [name, form] of Object.entries(FORMS)) {
  const encoded = await Promise.all(inputs.map((pixels) => form.encode(pixels)));
  for (const [i, bytes] of encoded.entries()) {
    if (!(await form.decode(bytes)).equals(inputs[i]!))
      throw new Error(`${name} does not give back the pixels of image ${i}`);
  }
  results[name] = {
    meanBytes: Math.round(encoded.reduce((sum, bytes) => sum + bytes.length, 0) / IMAGES),
    encodeCpuMs: round(await cpuMsPerImage((i) => form.encode(inputs[i]!))),
    decodeCpuMs: round(await cpuMsPerImage((i) => form.decode(encoded[i]!))),
  };
  console.error(`${name.padEnd(13)} ${JSON.stringify(results[name])}`);
}

const report = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus()[0]?.model,
    loadAverage: os.loadavg().map(round),
    node: process.version,
    libvips: sharp.versions.vips,
  },
  images: IMAGES,
  inputSize: SIZE,
  source: "all-aria/original, spread over the classes, centre-cropped to the model input",
  forms: results,
};
mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
writeFileSync(
  path.join(import.meta.dirname, "results", "model-input-format.json"),
  `${JSON.stringify(report, null, 2)}\n`,
);
console.log(JSON.stringify(report));

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
