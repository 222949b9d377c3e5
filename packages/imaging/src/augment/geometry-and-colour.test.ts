import { describe, expect, it } from "vitest";
import { ariaRgb } from "../test-support/real-images.js";
import { applyDihedral, ttaVariants } from "./dihedral.js";
import { jitterColour } from "./jitter-colour.js";
import { scaleAboutCentre } from "./scale-about-centre.js";

const FILE = "pre_b/WBC-Malignant-Pre-050.jpg";
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("geometry and colour operations", () => {
  it("quarter turns and mirrors are exact: four turns or two mirrors give the image back, one turn moves a corner", async () => {
    const image = await ariaRgb(FILE);
    let turned = image;
    for (let i = 0; i < 4; i += 1) turned = applyDihedral(turned, { quarterTurns: 1, mirrored: false });
    expect(sameBytes(turned.data, image.data)).toBe(true);
    const mirrored = applyDihedral(applyDihedral(image, { quarterTurns: 0, mirrored: true }), {
      quarterTurns: 0,
      mirrored: true,
    });
    expect(sameBytes(mirrored.data, image.data)).toBe(true);
    // Clockwise: the top-left pixel ends up top-right.
    const once = applyDihedral(image, { quarterTurns: 1, mirrored: false });
    expect([...once.data.subarray((once.width - 1) * 3, once.width * 3)]).toEqual([...image.data.subarray(0, 3)]);
  });

  it("identity settings of scale and colour jitter leave pixels as they are", async () => {
    const image = await ariaRgb(FILE);
    expect(sameBytes(scaleAboutCentre(image, 1).data, image.data)).toBe(true);
    const unchanged = jitterColour(image, { brightness: 1, contrast: 1, saturation: 1 });
    expect(unchanged.data.reduce((max, v, i) => Math.max(max, Math.abs(v - image.data[i]!)), 0)).toBeLessThanOrEqual(1);
  });

  it("offers the 8 symmetries for test-time augmentation, the first being the image itself", async () => {
    const image = await ariaRgb(FILE);
    const variants = ttaVariants(image);
    expect(variants).toHaveLength(8);
    expect(sameBytes(variants[0]!.data, image.data)).toBe(true);
    expect(new Set(variants.map((v) => Buffer.from(v.data).toString("base64"))).size).toBe(8);
  });
});
