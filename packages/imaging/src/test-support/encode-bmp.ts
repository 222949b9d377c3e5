/** Writes BMP variants from known pixels so the decoder can be checked against them. Tests only. */
export interface BmpVariant {
  bitsPerPixel: 8 | 24 | 32;
  topDown: boolean;
  /** DIB header: BITMAPINFOHEADER (40), V4 (108) or V5 (124). */
  headerSize: 40 | 108 | 124;
  /** 32-bit only: BI_BITFIELDS with an alpha mask instead of BI_RGB. */
  alpha?: boolean;
}

/** `pixels` is RGB, or RGBA when `variant.alpha`; 8-bit variants take grey pixels (R = G = B) and write a grey palette. */
export function encodeBmp(pixels: Uint8Array, width: number, height: number, variant: BmpVariant): Uint8Array {
  const { bitsPerPixel, topDown, headerSize } = variant;
  const bitFields = bitsPerPixel === 32 && variant.alpha === true;
  const inChannels = bitFields ? 4 : 3;
  const masksAfterHeader = bitFields && headerSize === 40 ? 16 : 0;
  const paletteBytes = bitsPerPixel === 8 ? 256 * 4 : 0;
  const pixelOffset = 14 + headerSize + masksAfterHeader + paletteBytes;
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  const bytes = new Uint8Array(pixelOffset + stride * height);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, pixelOffset, true);
  view.setUint32(14, headerSize, true);
  view.setInt32(18, width, true);
  view.setInt32(22, topDown ? -height : height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bitsPerPixel, true);
  view.setUint32(30, bitFields ? (headerSize === 40 ? 6 : 3) : 0, true);
  view.setUint32(34, stride * height, true);
  if (bitFields)
    [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000].forEach((mask, i) => view.setUint32(54 + i * 4, mask, true));
  if (headerSize >= 108) view.setUint32(70, 0x73524742, true); // colour space "sRGB"
  if (bitsPerPixel === 8) {
    for (let i = 0; i < 256; i += 1) bytes.set([i, i, i, 0], 14 + headerSize + i * 4);
  }
  for (let row = 0; row < height; row += 1) {
    const fileRow = pixelOffset + (topDown ? row : height - 1 - row) * stride;
    for (let x = 0; x < width; x += 1) {
      const source = (row * width + x) * inChannels;
      const target = fileRow + x * (bitsPerPixel / 8);
      if (bitsPerPixel === 8) {
        bytes[target] = pixels[source]!;
      } else {
        bytes[target] = pixels[source + 2]!;
        bytes[target + 1] = pixels[source + 1]!;
        bytes[target + 2] = pixels[source]!;
        if (bitsPerPixel === 32) bytes[target + 3] = bitFields ? pixels[source + 3]! : 0x5a;
      }
    }
  }
  return bytes;
}
