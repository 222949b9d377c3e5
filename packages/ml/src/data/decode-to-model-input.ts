import sharp from "sharp";

/**
 * Decodes any image sharp reads into the classifier's input: sRGB, centre-cropped to a square
 * ("cover") and resized to inputSize × inputSize, as raw interleaved RGB bytes (HWC).
 */
export async function decodeToModelInput(bytes: Buffer | Uint8Array, inputSize: number): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .toColourspace("srgb")
    .removeAlpha()
    .resize(inputSize, inputSize, { fit: "cover", position: "centre" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
