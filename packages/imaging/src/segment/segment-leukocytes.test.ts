import { describe, expect, it } from "vitest";
import { createMask, createRgbImage } from "../rgb-image.js";
import { ariaGroundTruth, ariaRgb } from "../test-support/real-images.js";
import { cellCropBox } from "./cell-crop-box.js";
import { connectedComponents } from "./connected-components.js";
import { fillHoles } from "./fill-holes.js";
import { maskOverlap } from "./mask-iou.js";
import { open } from "./morphology.js";
import { otsuThreshold } from "./otsu-threshold.js";
import { drawSegmentationOverlay } from "./overlay.js";
import { segmentLeukocytes } from "./segment-leukocytes.js";

describe("segmentation building blocks", () => {
  it("otsuThreshold separates two populations", () => {
    const values = new Uint8Array(1000).map((_, i) => (i < 700 ? 20 + (i % 10) : 180 + (i % 10)));
    const threshold = otsuThreshold(values);
    expect(threshold).toBeGreaterThanOrEqual(29);
    expect(threshold).toBeLessThan(180);
  });

  it("opening removes a speck but keeps a blob; hole filling fills an enclosed hole only; components are 8-connected", () => {
    const mask = createMask(20, 20);
    const set = (x: number, y: number) => (mask.data[y * 20 + x] = 1);
    set(1, 1);
    for (let y = 8; y < 16; y += 1) for (let x = 8; x < 16; x += 1) if (!(x === 11 && y === 11)) set(x, y);
    const opened = open(mask, 1);
    expect(opened.data[1 * 20 + 1]).toBe(0);
    expect(opened.data[9 * 20 + 9]).toBe(1);
    expect(mask.data[11 * 20 + 11]).toBe(0);
    expect(fillHoles(mask).data[11 * 20 + 11]).toBe(1);
    expect(fillHoles(mask).data[0]).toBe(0);
    const diagonal = createMask(4, 4);
    diagonal.data[0] = diagonal.data[5] = diagonal.data[15] = 1;
    expect(connectedComponents(diagonal).components.map((c) => c.area)).toEqual([2, 1]);
  });

  it("cellCropBox is a square around the cell with a margin, kept inside the image", () => {
    expect(cellCropBox({ x: 50, y: 60, width: 20, height: 10 }, 224, 224, 0.25)).toEqual({
      x: 45,
      y: 50,
      width: 30,
      height: 30,
    });
    expect(cellCropBox({ x: 0, y: 210, width: 20, height: 14 }, 224, 224, 0.25)).toEqual({
      x: 0,
      y: 194,
      width: 30,
      height: 30,
    });
  });
});

describe("segmentLeukocytes on real smears", () => {
  it.each(["early_pre_b/WBC-Malignant-Early-020.jpg", "pre_b/WBC-Malignant-Pre-100.jpg", "benign/WBC-Benign-001.jpg"])(
    "overlaps the dataset's own segmentation of %s",
    async (file) => {
      const segmentation = segmentLeukocytes(await ariaRgb(file));
      const { intersection, union } = maskOverlap(segmentation.mask, await ariaGroundTruth(file));
      expect(intersection / union).toBeGreaterThan(0.4);
      expect(segmentation.cells.length).toBeGreaterThan(0);
      const areas = segmentation.cells.map((cell) => cell.area);
      expect(areas).toEqual([...areas].sort((a, b) => b - a));
      const inMask = segmentation.mask.data.reduce((sum, v) => sum + v, 0);
      expect(areas.reduce((sum, a) => sum + a, 0)).toBe(inMask);
    },
  );

  it("finds the single large leukocyte of pre_b 100 near where it is, and nothing on blank glass", async () => {
    const image = await ariaRgb("pre_b/WBC-Malignant-Pre-100.jpg");
    const [largest] = segmentLeukocytes(image).cells;
    // The purple cell sits right of centre, low in the picture (see the overlay).
    expect(largest!.box.x + largest!.box.width / 2).toBeGreaterThan(112);
    expect(largest!.box.y + largest!.box.height / 2).toBeGreaterThan(112);
    const glass = createRgbImage(224, 224);
    glass.data.fill(235);
    expect(segmentLeukocytes(glass).cells).toEqual([]);
  });

  it("draws the overlay without changing pixels outside the mask and boxes", async () => {
    const image = await ariaRgb("benign/WBC-Benign-002.jpg");
    const segmentation = segmentLeukocytes(image);
    const overlay = drawSegmentationOverlay(
      image,
      segmentation.mask,
      segmentation.cells.map((cell) => cell.box),
    );
    const box = segmentation.cells[0]!.box;
    expect([
      ...overlay.data.subarray((box.y * image.width + box.x) * 3, (box.y * image.width + box.x) * 3 + 3),
    ]).toEqual([255, 0, 0]);
    const outside = segmentation.mask.data.findIndex((v, i) => v === 0 && overlay.data[i * 3] === image.data[i * 3]);
    expect(outside).toBeGreaterThanOrEqual(0);
    expect(overlay.data).not.toEqual(image.data);
  });
});
