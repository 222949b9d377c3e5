import { createRgbImage, type RgbImage } from "@leukoflow/imaging";

/**
 * Multiplies each channel's optical density (−log of transmitted light) by its own factor: the
 * effect of more or less of a dye, or a lamp of another colour temperature. Gains of 1 leave
 * the image unchanged; white background stays white.
 */
export function jitterStain(image: RgbImage, gains: readonly [number, number, number]): RgbImage {
  const lookup = gains.map((gain) =>
    Uint8Array.from({ length: 256 }, (_, value) => {
      const density = -Math.log((value + 1) / 256);
      return Math.min(255, Math.max(0, Math.round(256 * Math.exp(-density * gain) - 1)));
    }),
  );
  const out = createRgbImage(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) out.data[i] = lookup[i % 3]![image.data[i]!]!;
  return out;
}
