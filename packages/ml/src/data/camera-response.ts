import { createRgbImage, type RgbImage } from "@leukoflow/imaging";

/** A camera's white balance (a gain per channel) and tone curve (gamma); gains of 1 and gamma 1 change nothing. */
export interface CameraResponse {
  gains: readonly [number, number, number];
  gamma: number;
}

export function applyCameraResponse(image: RgbImage, { gains, gamma }: CameraResponse): RgbImage {
  const lookup = gains.map((gain) =>
    Uint8Array.from({ length: 256 }, (_, value) =>
      Math.min(255, Math.round(255 * Math.min(1, (value / 255) * gain) ** gamma)),
    ),
  );
  const out = createRgbImage(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) out.data[i] = lookup[i % 3]![image.data[i]!]!;
  return out;
}
