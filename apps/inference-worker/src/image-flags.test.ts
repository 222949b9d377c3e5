import { describe, expect, it } from "vitest";
import { imageFlags } from "./image-flags.js";

const score = (probabilities: number[], members: number[][] = [], oodScore: number | null = null) => ({
  probabilities: Float32Array.from(probabilities),
  members: members.map((p) => ({ probabilities: Float32Array.from(p), oodScore: null })),
  oodScore,
});

describe("imageFlags", () => {
  it("flags low confidence just below the minimum confidence, not at it", () => {
    expect(imageFlags(score([0.5, 0.25, 0.25]), 0.5)).toEqual([]);
    expect(imageFlags(score([0.4999, 0.3, 0.2001]), 0.5)).toEqual(["low_confidence"]);
  });

  it("flags a disagreement when any member's winner differs from the vote's", () => {
    expect(
      imageFlags(
        score(
          [0.7, 0.3],
          [
            [0.9, 0.1],
            [0.6, 0.4],
          ],
        ),
        0.5,
      ),
    ).toEqual([]);
    expect(
      imageFlags(
        score(
          [0.7, 0.3],
          [
            [0.9, 0.1],
            [0.45, 0.55],
          ],
        ),
        0.5,
      ),
    ).toEqual(["ensemble_disagreement"]);
  });

  it("flags out of distribution above the calibrated threshold (score > 0), not at it", () => {
    expect(imageFlags(score([0.9, 0.1], [], 0), 0.5)).toEqual([]);
    expect(imageFlags(score([0.9, 0.1], [], 1e-6), 0.5)).toEqual(["out_of_distribution"]);
    expect(imageFlags(score([0.9, 0.1], [], null), 0.5)).toEqual([]);
  });
});
