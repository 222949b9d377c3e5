import type { BinaryMask } from "../rgb-image.js";

/**
 * Binary morphology with a square structuring element of side 2·radius + 1, done as two 1-D passes
 * (a square is separable), so the cost does not grow with the square's area.
 */
export function dilate(mask: BinaryMask, radius: number): BinaryMask {
  return separablePass(mask, radius, 1);
}

export function erode(mask: BinaryMask, radius: number): BinaryMask {
  return separablePass(mask, radius, 0);
}

/** Erosion then dilation: removes specks smaller than the square. */
export function open(mask: BinaryMask, radius: number): BinaryMask {
  return dilate(erode(mask, radius), radius);
}

/** Dilation then erosion: bridges gaps narrower than the square. */
export function close(mask: BinaryMask, radius: number): BinaryMask {
  return erode(dilate(mask, radius), radius);
}

/** `wins` is the value that spreads: 1 for dilation, 0 for erosion. Outside the image counts as 0 for dilation and 1 for erosion. */
function separablePass(mask: BinaryMask, radius: number, wins: 0 | 1): BinaryMask {
  const { width, height } = mask;
  const horizontal = new Uint8Array(width * height);
  const result = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    runLine(mask.data, horizontal, y * width, 1, width, radius, wins);
  }
  for (let x = 0; x < width; x += 1) {
    runLine(horizontal, result, x, width, height, radius, wins);
  }
  return { width, height, data: result };
}

/** Sets each output to `wins` when any input within `radius` along the line equals it, using the distance to the last such input. */
function runLine(
  input: Uint8Array,
  output: Uint8Array,
  start: number,
  stride: number,
  length: number,
  radius: number,
  wins: 0 | 1,
): void {
  const loses = (1 - wins) as 0 | 1;
  // Forward pass: distance since the last winning value; backward pass: distance to the next one.
  let sinceLast = Infinity;
  for (let i = 0; i < length; i += 1) {
    sinceLast = input[start + i * stride] === wins ? 0 : sinceLast + 1;
    output[start + i * stride] = sinceLast <= radius ? wins : loses;
  }
  let untilNext = Infinity;
  for (let i = length - 1; i >= 0; i -= 1) {
    untilNext = input[start + i * stride] === wins ? 0 : untilNext + 1;
    if (untilNext <= radius) output[start + i * stride] = wins;
  }
}
