/**
 * IoU of segmentLeukocytes against the ALL dataset's own segmentations (segmented/<class>/, the
 * same file names as original/). A segmented image is black outside the cells it kept; the ground
 * truth mask is every pixel whose brightest channel exceeds GROUND_TRUTH_LEVEL (JPEG noise on black
 * stays below it). Images whose ground truth is empty are counted apart, not averaged in.
 *
 *   npx tsx bench/segmentation-iou.ts [--limit N]   → bench/results/segmentation-iou.json
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { maskOverlap, segmentLeukocytes, type BinaryMask, type RgbImage } from "@leukoflow/imaging";
import { SUBTYPE_LABELS } from "@leukoflow/contracts";
import { datasetsDir } from "@leukoflow/shared";

const DATASET = path.join(datasetsDir(), "all-aria");
const CLASSES = SUBTYPE_LABELS;
const GROUND_TRUTH_LEVEL = 40;
/** A ground truth covering less than this fraction of the image is treated as empty. */
const EMPTY_GROUND_TRUTH_FRACTION = 0.002;

const { values } = parseArgs({ options: { limit: { type: "string" } } });
const limit = values.limit ? Number(values.limit) : Infinity;

async function decodeRgb(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

function groundTruthMask(segmented: RgbImage): BinaryMask {
  const mask = new Uint8Array(segmented.width * segmented.height);
  for (let i = 0, p = 0; i < mask.length; i += 1, p += 3) {
    mask[i] = Math.max(segmented.data[p]!, segmented.data[p + 1]!, segmented.data[p + 2]!) > GROUND_TRUTH_LEVEL ? 1 : 0;
  }
  return { width: segmented.width, height: segmented.height, data: mask };
}

interface ClassResult {
  images: number;
  scored: number;
  meanIoU: number;
  pooledIoU: number;
  emptyGroundTruth: number;
  emptyAgreed: number;
}

const perClass: Record<string, ClassResult> = {};
let allIoUs: number[] = [];
let pooled = { intersection: 0, union: 0 };
let emptyTotal = 0;
let emptyAgreed = 0;
const started = performance.now();
for (const label of CLASSES) {
  const files = readdirSync(path.join(DATASET, "original", label))
    .filter((f) => f.endsWith(".jpg"))
    .sort()
    .slice(0, limit);
  const ious: number[] = [];
  const classPooled = { intersection: 0, union: 0 };
  let classEmpty = 0;
  let classEmptyAgreed = 0;
  for (const file of files) {
    const original = await decodeRgb(path.join(DATASET, "original", label, file));
    const truth = groundTruthMask(await decodeRgb(path.join(DATASET, "segmented", label, file)));
    const predicted = segmentLeukocytes(original).mask;
    const truthArea = truth.data.reduce((sum, v) => sum + v, 0);
    if (truthArea < EMPTY_GROUND_TRUTH_FRACTION * truth.data.length) {
      classEmpty += 1;
      if (!predicted.data.includes(1)) classEmptyAgreed += 1;
      continue;
    }
    const overlap = maskOverlap(predicted, truth);
    ious.push(overlap.intersection / overlap.union);
    classPooled.intersection += overlap.intersection;
    classPooled.union += overlap.union;
  }
  perClass[label] = {
    images: files.length,
    scored: ious.length,
    meanIoU: round(mean(ious)),
    pooledIoU: round(classPooled.intersection / classPooled.union),
    emptyGroundTruth: classEmpty,
    emptyAgreed: classEmptyAgreed,
  };
  allIoUs = allIoUs.concat(ious);
  pooled = { intersection: pooled.intersection + classPooled.intersection, union: pooled.union + classPooled.union };
  emptyTotal += classEmpty;
  emptyAgreed += classEmptyAgreed;
}

const sorted = [...allIoUs].sort((a, b) => a - b);
const result = {
  measuredAt: new Date().toISOString(),
  dataset: "all-aria (original/ vs segmented/)",
  groundTruth: `segmented pixel with max(R,G,B) > ${GROUND_TRUTH_LEVEL}; images with < ${EMPTY_GROUND_TRUTH_FRACTION * 100}% such pixels count as empty`,
  images: Object.values(perClass).reduce((sum, c) => sum + c.images, 0),
  scored: allIoUs.length,
  meanIoU: round(mean(allIoUs)),
  medianIoU: round(sorted[Math.floor(sorted.length / 2)] ?? NaN),
  pooledIoU: round(pooled.intersection / pooled.union),
  emptyGroundTruth: emptyTotal,
  emptyAgreed,
  perClass,
  seconds: round((performance.now() - started) / 1000),
};
console.log(JSON.stringify(result, null, 2));
if (limit === Infinity) {
  mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
  writeFileSync(
    path.join(import.meta.dirname, "results", "segmentation-iou.json"),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
