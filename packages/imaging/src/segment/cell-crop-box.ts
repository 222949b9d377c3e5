import type { BoundingBox } from "./connected-components.js";

/**
 * The square to crop around a cell: centred on its box, sides the box's longer side plus `margin`
 * of it on each side, moved (then shrunk if need be) to stay inside the image.
 */
export function cellCropBox(cell: BoundingBox, imageWidth: number, imageHeight: number, margin: number): BoundingBox {
  const side = Math.min(Math.round(Math.max(cell.width, cell.height) * (1 + 2 * margin)), imageWidth, imageHeight);
  const centreX = cell.x + cell.width / 2;
  const centreY = cell.y + cell.height / 2;
  const x = Math.min(Math.max(Math.round(centreX - side / 2), 0), imageWidth - side);
  const y = Math.min(Math.max(Math.round(centreY - side / 2), 0), imageHeight - side);
  return { x, y, width: side, height: side };
}
