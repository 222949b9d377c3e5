/** 8-bit RGB pixels, interleaved, rows top to bottom: the one pixel layout every operation here takes. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One byte per pixel, 1 inside and 0 outside. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

export function createMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}
