import sharp from "sharp";
import { stainNormalizer } from "@leukoflow/imaging";
import type { StainNormalization } from "@leukoflow/contracts";

/** What a model takes as input, from its metadata: the square side and the colour normalization. */
export interface ModelInputSpec {
  inputSize: number;
  stainNormalization: StainNormalization;
}

export function sameModelInput(a: ModelInputSpec, b: ModelInputSpec): boolean {
  return a.inputSize === b.inputSize && a.stainNormalization === b.stainNormalization;
}

/**
 * Decodes any image sharp reads into the classifier's input: sRGB, centre-cropped to a square
 * ("cover") and resized to inputSize × inputSize, colour-normalized as the model was trained,
 * as raw interleaved RGB bytes (HWC).
 */
export async function decodeToModelInput(bytes: Buffer | Uint8Array, input: ModelInputSpec): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .toColourspace("srgb")
    .removeAlpha()
    .resize(input.inputSize, input.inputSize, { fit: "cover", position: "centre" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  const image = {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
  return stainNormalizer(input.stainNormalization, image)(image).data;
}
