import type { BinaryMask } from "../rgb-image.js";

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Component {
  /** Label of the component's pixels in `labels` (1-based). */
  label: number;
  area: number;
  box: BoundingBox;
}

export interface LabelledComponents {
  /** Per pixel: 0 outside the mask, else the component's label. */
  labels: Int32Array;
  components: Component[];
}

/** 8-connected components of a mask, found by flood fill with an explicit stack. */
export function connectedComponents(mask: BinaryMask): LabelledComponents {
  const { width, height, data } = mask;
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack = new Int32Array(width * height);
  for (let seed = 0; seed < data.length; seed += 1) {
    if (data[seed] === 0 || labels[seed] !== 0) continue;
    const label = components.length + 1;
    let minX = width,
      minY = height,
      maxX = -1,
      maxY = -1,
      area = 0,
      top = 0;
    stack[top++] = seed;
    labels[seed] = label;
    while (top > 0) {
      const index = stack[--top]!;
      const x = index % width;
      const y = (index - x) / width;
      area += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (data[neighbour] === 0 || labels[neighbour] !== 0) continue;
          labels[neighbour] = label;
          stack[top++] = neighbour;
        }
      }
    }
    components.push({ label, area, box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } });
  }
  return { labels, components };
}
