import type { BinaryMask } from "../rgb-image.js";

/** Sets every background pixel that no 4-connected background path links to the image border. */
export function fillHoles(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask;
  const reachable = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  const push = (index: number) => {
    if (data[index] === 0 && reachable[index] === 0) {
      reachable[index] = 1;
      stack[top++] = index;
    }
  };
  for (let x = 0; x < width; x += 1) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y += 1) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (top > 0) {
    const index = stack[--top]!;
    const x = index % width;
    if (x > 0) push(index - 1);
    if (x < width - 1) push(index + 1);
    if (index >= width) push(index - width);
    if (index < (height - 1) * width) push(index + width);
  }
  const filled = new Uint8Array(width * height);
  for (let i = 0; i < filled.length; i += 1) filled[i] = reachable[i] ? 0 : 1;
  return { width, height, data: filled };
}
