import type { BinaryMask, RgbImage } from "../rgb-image.js";
import type { BoundingBox } from "./connected-components.js";

const MASK_TINT = [0, 255, 0] as const;
const BOX_COLOUR = [255, 0, 0] as const;

/** A debugging picture of a segmentation: the image with the mask tinted green and each cell's box outlined in red. */
export function drawSegmentationOverlay(image: RgbImage, mask: BinaryMask, boxes: BoundingBox[]): RgbImage {
  const data = image.data.slice();
  for (let i = 0; i < mask.data.length; i += 1) {
    if (mask.data[i] === 0) continue;
    for (let c = 0; c < 3; c += 1) data[i * 3 + c] = Math.round(data[i * 3 + c]! * 0.6 + MASK_TINT[c]! * 0.4);
  }
  const paint = (x: number, y: number) => data.set(BOX_COLOUR, (y * image.width + x) * 3);
  for (const { x, y, width, height } of boxes) {
    for (let dx = 0; dx < width; dx += 1) {
      paint(x + dx, y);
      paint(x + dx, y + height - 1);
    }
    for (let dy = 0; dy < height; dy += 1) {
      paint(x, y + dy);
      paint(x + width - 1, y + dy);
    }
  }
  return { width: image.width, height: image.height, data };
}
