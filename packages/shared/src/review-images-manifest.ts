/** A box in an image's pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What Image.segmentation records once an image's review images are stored (by the preprocess
 * worker, when first asked for): the segmentation threshold, the mask and overlay, and one crop
 * per cell, largest first, with its box in the oriented upload's pixels.
 */
export interface ReviewImagesManifest {
  threshold: number;
  maskKey: string;
  overlayKey: string;
  cells: { box: PixelBox; cropBox: PixelBox; area: number; cropKey: string }[];
}
