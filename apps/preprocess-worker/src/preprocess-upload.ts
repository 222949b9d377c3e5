import {
  cellCropBox,
  drawSegmentationOverlay,
  segmentLeukocytes,
  stainNormalizer,
  type BoundingBox,
  type RgbImage,
} from "@leukoflow/imaging";
import sharp, { type ResizeOptions, type Sharp } from "sharp";
import { decodeUpload } from "./decode-upload.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";

/** Longest side segmentation runs at; larger images are shrunk first and boxes scaled back. */
const SEGMENTATION_MAX_SIDE = 1024;
/** Cells cropped per image, largest first; a crowded smear yields no more. */
const MAX_CELL_CROPS = 16;
/** Context kept around a cell in its crop, as a fraction of the cell's longer side on each side. */
const CROP_MARGIN = 0.25;
const WHITE = { r: 255, g: 255, b: 255 };

export interface PreprocessedCell {
  /** In the oriented upload's pixels. */
  box: BoundingBox;
  cropBox: BoundingBox;
  /** Pixels of the cell in the segmentation mask (at segmentation scale). */
  area: number;
  png: Uint8Array;
}

export interface PreprocessedUpload {
  width: number;
  height: number;
  format: string;
  /** The whole image as the model's square input. */
  png: Uint8Array;
  /** Per cell, a square crop at its own resolution, shrunk to the input size when larger. */
  cells: PreprocessedCell[];
  /** Segmentation mask (white = leukocyte) and debug overlay, at segmentation scale. */
  maskPng: Uint8Array;
  overlayPng: Uint8Array;
  threshold: number;
}

/** Decode, segment and normalize one upload: all the CPU work of a preprocess job, run in a worker thread. */
export async function preprocessUpload(bytes: Uint8Array, recipe: PreprocessingRecipe, maxInputPixels: number): Promise<PreprocessedUpload> {
  const { image, format } = await decodeUpload(bytes, maxInputPixels);
  const working = await shrinkTo(image, SEGMENTATION_MAX_SIDE);
  const scale = image.width / working.width;
  const segmentation = segmentLeukocytes(working);
  // One transform fitted on the whole smear, applied alike to it and to its cell crops.
  const stain = stainNormalizer(recipe.stain, working);

  const fit = recipe.fit === "crop" ? { fit: "cover" as const, position: "centre" } : { fit: "contain" as const, background: WHITE };
  const whole = await resizeRaw(image, undefined, recipe.inputSize, fit);
  const cells: PreprocessedCell[] = [];
  for (const cell of segmentation.cells.slice(0, MAX_CELL_CROPS)) {
    const box = scaleBox(cell.box, scale, image);
    const cropBox = cellCropBox(box, image.width, image.height, CROP_MARGIN);
    // Crops stay at their own resolution unless larger than the input: compact, and the model scales them anyway.
    const side = Math.min(cropBox.width, recipe.inputSize);
    const crop = await resizeRaw(image, cropBox, side, { fit: "fill" });
    cells.push({ box, cropBox, area: cell.area, png: await encodePng(stain(crop)) });
  }
  const overlay = drawSegmentationOverlay(working, segmentation.mask, segmentation.cells.map((cell) => cell.box));
  return {
    width: image.width,
    height: image.height,
    format,
    png: await encodePng(stain(whole)),
    cells,
    maskPng: await sharp(segmentation.mask.data.map((v) => v * 255), {
      raw: { width: working.width, height: working.height, channels: 1 },
    })
      .toColourspace("b-w")
      .png()
      .toBuffer(),
    overlayPng: await encodePng(overlay),
    threshold: segmentation.threshold,
  };
}

async function shrinkTo(image: RgbImage, maxSide: number): Promise<RgbImage> {
  if (Math.max(image.width, image.height) <= maxSide) return image;
  const { data, info } = await rawSharp(image).resize(maxSide, maxSide, { fit: "inside" }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function resizeRaw(image: RgbImage, region: BoundingBox | undefined, size: number, options: ResizeOptions): Promise<RgbImage> {
  let pipeline = rawSharp(image);
  if (region) pipeline = pipeline.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  const data = await pipeline.resize(size, size, options).raw().toBuffer();
  return { width: size, height: size, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function encodePng(image: RgbImage): Promise<Uint8Array> {
  return rawSharp(image).png().toBuffer();
}

function rawSharp(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

function scaleBox(box: BoundingBox, scale: number, image: RgbImage): BoundingBox {
  const x = Math.floor(box.x * scale);
  const y = Math.floor(box.y * scale);
  return {
    x,
    y,
    width: Math.min(Math.ceil((box.x + box.width) * scale), image.width) - x,
    height: Math.min(Math.ceil((box.y + box.height) * scale), image.height) - y,
  };
}
