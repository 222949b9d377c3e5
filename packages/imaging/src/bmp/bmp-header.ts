import { InvalidBmpError } from "./invalid-bmp-error.js";

export const FILE_HEADER_BYTES = 14;
export const CORE_HEADER_BYTES = 12;
export const INFO_HEADER_BYTES = 40;
export const BI_RGB = 0;

/** A bitmap's file and DIB headers, as BITMAPCOREHEADER (OS/2, 16-bit sizes) or BITMAPINFOHEADER and its V2–V5 extensions give them. */
export interface BmpHeader {
  pixelOffset: number;
  /** Size of the DIB header: CORE_HEADER_BYTES, or INFO_HEADER_BYTES and more. */
  headerSize: number;
  width: number;
  /** Negative when rows run top-down. */
  signedHeight: number;
  planes: number;
  bitsPerPixel: number;
  compression: number;
  paletteSize: number;
}

/** Reads the headers only; throws InvalidBmpError when they are not a bitmap's or lie beyond `bytes`. */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.byteLength)
      throw new InvalidBmpError(`BMP truncated: ${what} needs ${end} bytes, file has ${bytes.byteLength}`);
  };
  need(FILE_HEADER_BYTES + 4, "the headers");
  if (bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw new InvalidBmpError("Not a BMP: missing 'BM' signature");
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(FILE_HEADER_BYTES, true);
  if (headerSize === CORE_HEADER_BYTES) {
    need(FILE_HEADER_BYTES + CORE_HEADER_BYTES, "the DIB header");
    return {
      pixelOffset,
      headerSize,
      width: view.getUint16(18, true),
      signedHeight: view.getInt16(20, true),
      planes: view.getUint16(22, true),
      bitsPerPixel: view.getUint16(24, true),
      compression: BI_RGB,
      paletteSize: 0,
    };
  }
  if (headerSize < INFO_HEADER_BYTES) throw new InvalidBmpError(`Unsupported BMP header of ${headerSize} bytes`);
  need(FILE_HEADER_BYTES + INFO_HEADER_BYTES, "the DIB header");
  return {
    pixelOffset,
    headerSize,
    width: view.getInt32(18, true),
    signedHeight: view.getInt32(22, true),
    planes: view.getUint16(26, true),
    bitsPerPixel: view.getUint16(28, true),
    compression: view.getUint32(30, true),
    paletteSize: view.getUint32(46, true),
  };
}
