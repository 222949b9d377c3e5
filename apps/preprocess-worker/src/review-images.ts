import {
  cellCropBox,
  drawSegmentationOverlay,
  segmentLeukocytes,
  stainNormalizer,
  type BoundingBox,
  type RgbImage,
} from "@leukoflow/imaging";
import sharp from "sharp";
import { decodeUpload } from "./decode-upload.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { encodePng, resizeRaw, shrinkTo, WORKING_MAX_SIDE } from "./raw-pixels.js";

/** Cells cropped per image, largest first; a crowded smear yields no more. */
const MAX_CELL_CROPS = 16;
/** Context kept around a cell in its crop, as a fraction of the cell's longer side on each side. */
const CROP_MARGIN = 0.25;

export interface ReviewCell {
  /** In the oriented upload's pixels. */
  box: BoundingBox;
  cropBox: BoundingBox;
  /** Pixels of the cell in the segmentation mask (at segmentation scale). */
  area: number;
  png: Uint8Array;
}

/** What a person reviewing an image may look at besides the model input and Grad-CAM; made when first asked for. */
export interface ReviewImages {
  /** Per cell, a square crop at its own resolution, shrunk to the input size when larger, coloured as the model's input. */
  cells: ReviewCell[];
  /** Segmentation mask (white = leukocyte) and overlay (mask tinted green, boxes red), at segmentation scale. */
  maskPng: Uint8Array;
  overlayPng: Uint8Array;
  threshold: number;
}

/** Decode, segment, crop and draw one upload: run in a worker thread, off the hot path. */
export async function renderReviewImages(
  bytes: Uint8Array,
  recipe: PreprocessingRecipe,
  maxInputPixels: number,
): Promise<ReviewImages> {
  const { image } = await decodeUpload(bytes, maxInputPixels);
  const working = await shrinkTo(image, WORKING_MAX_SIDE);
  const scale = image.width / working.width;
  const segmentation = segmentLeukocytes(working);
  // One transform fitted on the whole smear, as for the model input.
  const stain = stainNormalizer(recipe.stain, working);
  const cells: ReviewCell[] = [];
  for (const cell of segmentation.cells.slice(0, MAX_CELL_CROPS)) {
    const box = scaleBox(cell.box, scale, image);
    const cropBox = cellCropBox(box, image.width, image.height, CROP_MARGIN);
    // Crops stay at their own resolution unless larger than the input: compact, and a model scales them anyway.
    const side = Math.min(cropBox.width, recipe.inputSize);
    const crop = await resizeRaw(image, cropBox, side, { fit: "fill" });
    cells.push({ box, cropBox, area: cell.area, png: await encodePng(stain(crop)) });
  }
  const overlay = drawSegmentationOverlay(
    working,
    segmentation.mask,
    segmentation.cells.map((cell) => cell.box),
  );
  return {
    cells,
    maskPng: await sharp(
      segmentation.mask.data.map((v) => v * 255),
      { raw: { width: working.width, height: working.height, channels: 1 } },
    )
      .toColourspace("b-w")
      .png()
      .toBuffer(),
    overlayPng: await encodePng(overlay),
    threshold: segmentation.threshold,
  };
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
