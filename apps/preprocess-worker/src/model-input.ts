import { stainNormalizer } from "@leukoflow/imaging";
import { encodeModelInputPixels } from "@leukoflow/shared";
import { decodeUpload, decodeUploadResized } from "./decode-upload.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { resizeRaw, shrinkTo, WORKING_MAX_SIDE } from "./raw-pixels.js";

const WHITE = { r: 255, g: 255, b: 255 };

export interface ModelInputUpload {
  width: number;
  height: number;
  format: string;
  /** The whole image as the model's square input, in the model-input pixel format (@leukoflow/shared). */
  pixels: Uint8Array;
}

/** The hot path's CPU work: decode once, orient, validate, and make the model's input; nothing a person alone looks at. */
export async function makeModelInput(
  bytes: Uint8Array,
  recipe: PreprocessingRecipe,
  maxInputPixels: number,
): Promise<ModelInputUpload> {
  const fit =
    recipe.fit === "crop"
      ? { fit: "cover" as const, position: "centre" }
      : { fit: "contain" as const, background: WHITE };
  if (recipe.stain === "none") {
    const { image, ...geometry } = await decodeUploadResized(bytes, maxInputPixels, recipe.inputSize, fit);
    return { ...geometry, pixels: encodeModelInputPixels({ ...image, channels: 3 }) };
  }
  // Stain statistics come from the whole smear (shrunk as review images' segmentation is), not the model input alone.
  const { image, format } = await decodeUpload(bytes, maxInputPixels);
  const whole = await resizeRaw(image, undefined, recipe.inputSize, fit);
  const normalized = stainNormalizer(recipe.stain, await shrinkTo(image, WORKING_MAX_SIDE))(whole);
  return {
    width: image.width,
    height: image.height,
    format,
    pixels: encodeModelInputPixels({ ...normalized, channels: 3 }),
  };
}
