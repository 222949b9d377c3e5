import sharp from "sharp";

/** Jet-like colour of a value in [0, 1]: blue → cyan → yellow → red. */
function heatColour(value: number): [number, number, number] {
  const channel = (centre: number) => Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * value - centre))));
  return [channel(3), channel(2), channel(1)];
}

/**
 * PNG of the image with its Grad-CAM map blended on top, in the model input's geometry. Blending
 * follows the map itself, so regions that did not drive the decision keep their original colours.
 */
export async function renderGradCamOverlay(
  rgb: Uint8Array,
  map: Float32Array,
  size: number,
  maxOpacity = 0.6,
): Promise<Buffer> {
  if (rgb.length !== size * size * 3 || map.length !== size * size)
    throw new Error(`overlay needs ${size}×${size} RGB and map`);
  const out = Buffer.alloc(rgb.length);
  for (let p = 0; p < map.length; p++) {
    const value = map[p]!;
    const alpha = maxOpacity * value;
    const colour = heatColour(value);
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((1 - alpha) * rgb[p * 3 + c]! + alpha * colour[c]!);
  }
  return sharp(out, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}
