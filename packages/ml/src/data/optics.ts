import sharp, { type Sharp } from "sharp";
import type { RgbImage } from "@leukoflow/imaging";

/** What another microscope's optics, a coarser camera and a lossy export do to an image; each returns an image of the same size. */

const raw = (image: RgbImage): Sharp =>
  sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  });

async function toRgb(pipeline: Sharp, width: number, height: number): Promise<RgbImage> {
  const { data } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Gaussian blur of standard deviation `sigma` pixels (defocus). */
export const gaussianBlur = (image: RgbImage, sigma: number): Promise<RgbImage> =>
  toRgb(raw(image).blur(Math.max(0.3, sigma)), image.width, image.height);

/** Down to `factor` of the size and back up: the detail a camera of lower resolution would lose. */
export async function resampleThrough(image: RgbImage, factor: number): Promise<RgbImage> {
  const small = await raw(image)
    .resize(Math.max(1, Math.round(image.width * factor)), Math.max(1, Math.round(image.height * factor)))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const back = sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: 3 } }).resize(
    image.width,
    image.height,
  );
  return toRgb(back, image.width, image.height);
}

/** Encoded as JPEG at `quality` and decoded again. */
export async function recompressJpeg(image: RgbImage, quality: number): Promise<RgbImage> {
  return toRgb(
    sharp(
      await raw(image)
        .jpeg({ quality: Math.round(quality) })
        .toBuffer(),
    ),
    image.width,
    image.height,
  );
}
