import { BI_RGB, CORE_HEADER_BYTES, FILE_HEADER_BYTES, INFO_HEADER_BYTES, readBmpHeader } from "./bmp-header.js";
import { InvalidBmpError } from "./invalid-bmp-error.js";

export interface DecodedBmp {
  width: number;
  height: number;
  /** 4 when the file carries an alpha mask, else 3. */
  channels: 3 | 4;
  /** Interleaved RGB(A), rows top to bottom. */
  data: Uint8Array;
}

const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface ChannelMask {
  mask: number;
  shift: number;
  max: number;
}

/**
 * Decodes a Windows bitmap: BITMAPCOREHEADER, BITMAPINFOHEADER and its V2–V5 extensions; 1, 4 and
 * 8 bits per pixel with a palette, 16 and 32 bits uncompressed or with bit fields, 24 bits; rows
 * bottom-up (positive height) or top-down (negative). RLE and embedded JPEG/PNG are refused.
 * `maxPixels` is checked before anything the header claims is allocated.
 */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): DecodedBmp {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.byteLength)
      throw new InvalidBmpError(`BMP truncated: ${what} needs ${end} bytes, file has ${bytes.byteLength}`);
  };
  const { pixelOffset, headerSize, width, signedHeight, planes, bitsPerPixel, compression, paletteSize } =
    readBmpHeader(bytes);
  need(FILE_HEADER_BYTES + headerSize, "the DIB header");
  const topDown = signedHeight < 0;
  const height = Math.abs(signedHeight);
  if (planes !== 1) throw new InvalidBmpError(`BMP with ${planes} planes`);
  if (width <= 0 || height <= 0) throw new InvalidBmpError(`BMP of ${width}×${signedHeight} pixels`);
  if (width * height > maxPixels)
    throw new InvalidBmpError(`BMP of ${width}×${height} exceeds the ${maxPixels}-pixel limit`);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel))
    throw new InvalidBmpError(`Unsupported BMP depth of ${bitsPerPixel} bits`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw new InvalidBmpError(`Unsupported BMP compression ${compression} (only uncompressed and bit fields are read)`);
  }
  if (compression !== BI_RGB && bitsPerPixel !== 16 && bitsPerPixel !== 32) {
    throw new InvalidBmpError(`BMP bit fields with ${bitsPerPixel} bits per pixel`);
  }

  // Bit-field masks live in the header from V2 on (alpha from V3), else in the 12 or 16 bytes after it.
  const masksAfterHeader = headerSize === INFO_HEADER_BYTES && compression !== BI_RGB;
  const masksAt = FILE_HEADER_BYTES + INFO_HEADER_BYTES;
  const maskCount = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3;
  let masks: ChannelMask[] | null = null;
  if (compression !== BI_RGB) {
    need(masksAt + maskCount * 4, "the bit-field masks");
    masks = Array.from({ length: maskCount }, (_, i) => channelMask(view.getUint32(masksAt + i * 4, true)));
  } else if (bitsPerPixel === 16) {
    masks = [0x7c00, 0x03e0, 0x001f].map(channelMask);
  }
  const hasAlpha = masks !== null && masks.length === 4 && masks[3]!.mask !== 0;

  const palette = readPalette(bytes, bitsPerPixel, paletteSize, headerSize, masksAfterHeader ? maskCount * 4 : 0, need);
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  need(pixelOffset + stride * (height - 1) + Math.ceil((bitsPerPixel * width) / 8), "the pixel rows");

  const channels = hasAlpha ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let row = 0; row < height; row += 1) {
    const source = pixelOffset + (topDown ? row : height - 1 - row) * stride;
    let target = row * width * channels;
    for (let x = 0; x < width; x += 1, target += channels) {
      if (palette) {
        const index = paletteIndex(bytes, source, x, bitsPerPixel);
        if (index * 3 >= palette.length)
          throw new InvalidBmpError(`BMP palette index ${index} beyond its ${palette.length / 3} colours`);
        data[target] = palette[index * 3]!;
        data[target + 1] = palette[index * 3 + 1]!;
        data[target + 2] = palette[index * 3 + 2]!;
      } else if (masks) {
        const pixel = bitsPerPixel === 16 ? view.getUint16(source + x * 2, true) : view.getUint32(source + x * 4, true);
        for (let c = 0; c < channels; c += 1) data[target + c] = extract(pixel, masks[c]!);
      } else {
        const at = source + x * (bitsPerPixel / 8);
        data[target] = bytes[at + 2]!;
        data[target + 1] = bytes[at + 1]!;
        data[target + 2] = bytes[at]!;
      }
    }
  }
  return { width, height, channels, data };
}

/** Palette as RGB triplets, or null for depths that have none. Core-header palettes have 3-byte entries, later ones 4. */
function readPalette(
  bytes: Uint8Array,
  bitsPerPixel: number,
  declaredSize: number,
  headerSize: number,
  masksBytes: number,
  need: (end: number, what: string) => void,
): Uint8Array | null {
  if (bitsPerPixel > 8) return null;
  const maxColours = 2 ** bitsPerPixel;
  const colours = declaredSize === 0 ? maxColours : declaredSize;
  if (colours > maxColours)
    throw new InvalidBmpError(`BMP palette of ${colours} colours for ${bitsPerPixel}-bit pixels`);
  const entryBytes = headerSize === CORE_HEADER_BYTES ? 3 : 4;
  const start = FILE_HEADER_BYTES + headerSize + masksBytes;
  need(start + colours * entryBytes, "the palette");
  const palette = new Uint8Array(colours * 3);
  for (let i = 0; i < colours; i += 1) {
    const entry = start + i * entryBytes;
    palette[i * 3] = bytes[entry + 2]!;
    palette[i * 3 + 1] = bytes[entry + 1]!;
    palette[i * 3 + 2] = bytes[entry]!;
  }
  return palette;
}

function paletteIndex(bytes: Uint8Array, rowStart: number, x: number, bitsPerPixel: number): number {
  const bitOffset = x * bitsPerPixel;
  const byte = bytes[rowStart + (bitOffset >> 3)]!;
  const shift = 8 - bitsPerPixel - (bitOffset & 7);
  return (byte >> shift) & ((1 << bitsPerPixel) - 1);
}

function channelMask(mask: number): ChannelMask {
  if (mask === 0) return { mask, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift += 1;
  const max = mask >>> shift;
  if ((max & (max + 1)) !== 0) throw new InvalidBmpError(`BMP bit-field mask 0x${mask.toString(16)} is not contiguous`);
  return { mask, shift, max };
}

/** A channel's value scaled from its bit width to 0..255. */
function extract(pixel: number, { mask, shift, max }: ChannelMask): number {
  if (max === 0) return 0;
  const value = ((pixel & mask) >>> shift) >>> 0;
  return max === 255 ? value : Math.round((value * 255) / max);
}
