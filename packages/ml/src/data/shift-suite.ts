import sharp from "sharp";
import { jitterStain } from "./stain-jitter.js";

/** Turns an encoded image into another encoded image of the same size, as another lab or scanner might have produced it. */
export type ImageShift = (bytes: Buffer) => Promise<Buffer>;

async function onPixels(
  bytes: Buffer,
  change: (rgb: { width: number; height: number; data: Uint8Array }) => { data: Uint8Array },
): Promise<Buffer> {
  const { data, info } = await sharp(bytes)
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = change({
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
  return sharp(Buffer.from(out.data), { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * The distribution shifts `leukoflow evaluate --shift` measures (issue 11), each fixed and
 * deterministic, applied to the original file before it is decoded to the model's input:
 * - stain: more eosin-like red and haematoxylin-like blue dye, less green (optical-density gains 1.3/0.8/1.15);
 * - colour-cast: a warm lamp / white-balance error (R ×1.1, B ×0.85);
 * - blur: Gaussian blur, sigma 2 px (slight defocus);
 * - jpeg-30: recompression at JPEG quality 30;
 * - half-resolution: downscaled to 50 % and back (a lower-resolution camera);
 * - rotation: rotated 17° about the centre on a white background (not a quarter turn the model was trained on).
 */
export const SHIFT_SUITE: Record<string, ImageShift> = {
  stain: (bytes) => onPixels(bytes, (rgb) => jitterStain(rgb, [1.3, 0.8, 1.15])),
  "colour-cast": (bytes) => sharp(bytes).removeAlpha().linear([1.1, 1, 0.85], [0, 0, 0]).png().toBuffer(),
  blur: (bytes) => sharp(bytes).blur(2).png().toBuffer(),
  "jpeg-30": (bytes) => sharp(bytes).jpeg({ quality: 30 }).toBuffer(),
  "half-resolution": async (bytes) => {
    const { width, height } = await sharp(bytes).metadata();
    const half = await sharp(bytes)
      .resize(Math.round(width / 2), Math.round(height / 2))
      .png()
      .toBuffer();
    return sharp(half).resize(width, height).png().toBuffer();
  },
  rotation: async (bytes) => {
    const { width, height } = await sharp(bytes).metadata();
    const rotated = await sharp(bytes)
      .rotate(17, { background: "#ffffff" })
      .png()
      .toBuffer({ resolveWithObject: true });
    const left = Math.floor((rotated.info.width - width) / 2),
      top = Math.floor((rotated.info.height - height) / 2);
    return sharp(rotated.data).extract({ left, top, width: width, height: height }).png().toBuffer();
  },
};

export function shiftNamed(name: string): ImageShift {
  const shift = SHIFT_SUITE[name];
  if (!shift) throw new Error(`unknown shift "${name}"; one of: ${Object.keys(SHIFT_SUITE).join(", ")}`);
  return shift;
}
