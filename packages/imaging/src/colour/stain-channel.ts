import type { RgbImage } from "../rgb-image.js";

/**
 * How strongly each pixel shows the purple of a Romanowsky-stained leukocyte: red and blue high
 * while green is absorbed, (R + B) / 2 − G, clamped to 0..255. Glass background is grey-white and red
 * cells are pink, grey-blue or blue, so they all stay low; nuclei and most cytoplasm stand out.
 */
export function leukocyteStainChannel(image: RgbImage): Uint8Array {
  const { data } = image;
  const channel = new Uint8Array(image.width * image.height);
  for (let i = 0, p = 0; i < channel.length; i += 1, p += 3) {
    const value = (data[p]! + data[p + 2]!) / 2 - data[p + 1]!;
    channel[i] = value <= 0 ? 0 : value >= 255 ? 255 : value;
  }
  return channel;
}
