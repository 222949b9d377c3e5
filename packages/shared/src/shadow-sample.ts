import { createHash } from "node:crypto";

/**
 * Whether a specimen's images are scored by the version in shadow, at `sample` (0–1] of specimens.
 * Decided per specimen, not per image, so that every sampled specimen can be called by both versions
 * (`models compare`'s specimen calls need each of its images), and from a hash of its id, so the
 * decision is the same for each of its images, every worker and every rerun.
 */
export function inShadowSample(specimenId: string, sample: number): boolean {
  if (sample >= 1) return true;
  if (sample <= 0) return false;
  const bucket = createHash("sha256").update(specimenId).digest().readUInt32BE(0) / 2 ** 32;
  return bucket < sample;
}
