import { leukocyteStainChannel } from "../colour/stain-channel.js";
import { createMask, type BinaryMask, type RgbImage } from "../rgb-image.js";
import { connectedComponents, type BoundingBox } from "./connected-components.js";
import { fillHoles } from "./fill-holes.js";
import { close, open } from "./morphology.js";
import { otsuThreshold } from "./otsu-threshold.js";

export interface SegmentationOptions {
  /** Stain-channel level below which nothing is a leukocyte, whatever Otsu says (a smear without one). */
  minThreshold: number;
  /** Morphology radii and smallest cell, for an image whose shorter side is `referenceSide`; scaled with it. */
  openRadius: number;
  closeRadius: number;
  minCellArea: number;
  referenceSide: number;
}

export const DEFAULT_SEGMENTATION_OPTIONS: SegmentationOptions = {
  minThreshold: 30,
  openRadius: 1,
  closeRadius: 2,
  minCellArea: 120,
  referenceSide: 224,
};

export interface SegmentedCell {
  box: BoundingBox;
  /** Pixels of the cell in the mask. */
  area: number;
}

export interface LeukocyteSegmentation {
  mask: BinaryMask;
  cells: SegmentedCell[];
  threshold: number;
}

/**
 * Finds the white cells of a stained smear: Otsu threshold on the leukocyte stain channel, opening to
 * drop specks, closing and hole filling to make cells solid, then connected components large
 * enough to be a cell. Cells come largest first.
 */
export function segmentLeukocytes(
  image: RgbImage,
  options: SegmentationOptions = DEFAULT_SEGMENTATION_OPTIONS,
): LeukocyteSegmentation {
  const { width, height } = image;
  const channel = leukocyteStainChannel(image);
  const threshold = Math.max(otsuThreshold(channel), options.minThreshold);
  const raw = createMask(width, height);
  for (let i = 0; i < channel.length; i += 1) raw.data[i] = channel[i]! > threshold ? 1 : 0;

  const scale = Math.min(width, height) / options.referenceSide;
  const cleaned = fillHoles(
    close(open(raw, Math.round(options.openRadius * scale)), Math.round(options.closeRadius * scale)),
  );
  const minArea = options.minCellArea * scale * scale;
  const { labels, components } = connectedComponents(cleaned);
  const kept = new Uint8Array(components.length + 1);
  const cells: SegmentedCell[] = [];
  for (const component of components) {
    if (component.area < minArea) continue;
    kept[component.label] = 1;
    cells.push({ box: component.box, area: component.area });
  }
  const mask = createMask(width, height);
  for (let i = 0; i < labels.length; i += 1) mask.data[i] = kept[labels[i]!]!;
  cells.sort((a, b) => b.area - a.area);
  return { mask, cells, threshold };
}
