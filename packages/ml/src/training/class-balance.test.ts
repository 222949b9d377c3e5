import { seededRandom } from "@leukoflow/imaging";
import { beforeAll, describe, expect, it } from "vitest";
import { splitByFileNumberBlocks } from "../data/block-split.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { epochOrder, lossClassWeights } from "./class-balance.js";
import { DEFAULT_MONITOR_SPLIT, DEFAULT_TEST_SPLIT } from "./train-from-folders.js";
import { ariaOriginalDir } from "@leukoflow/shared";

const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];

describe("class balance on the training blocks of all-aria", () => {
  let labels: number[];
  let counts: number[];
  beforeAll(async () => {
    const entries = await listImageFolder(ariaOriginalDir(), CLASSES);
    const train = splitByFileNumberBlocks(
      splitByFileNumberBlocks(entries, DEFAULT_TEST_SPLIT).train,
      DEFAULT_MONITOR_SPLIT,
    );
    labels = train.train.map((entry) => entry.label);
    counts = CLASSES.map((_, c) => labels.filter((label) => label === c).length);
  });

  it("loss: every class carries the same total weight, the mean image weight is 1, the rarest class weighs most", () => {
    const weights = lossClassWeights("loss", labels, CLASSES.length);
    const totals = counts.map((count, c) => count * weights[c]!);
    for (const total of totals) expect(total).toBeCloseTo(totals[0]!, 6);
    expect(labels.reduce((sum, label) => sum + weights[label]!, 0) / labels.length).toBeCloseTo(1, 9);
    expect(weights.indexOf(Math.max(...weights))).toBe(counts.indexOf(Math.min(...counts)));
  });

  it("none and sampling leave the loss unweighted", () => {
    for (const balance of ["none", "sampling"] as const)
      expect(lossClassWeights(balance, labels, CLASSES.length)).toEqual([1, 1, 1, 1]);
  });

  it("none and loss show every image once per epoch", () => {
    for (const balance of ["none", "loss"] as const)
      expect([...epochOrder(balance, labels, seededRandom(3))].sort((a, b) => a - b)).toEqual([...labels.keys()]);
  });

  it("sampling draws each class about equally often, every image of the rarest class, and repeats with the seed", () => {
    const order = epochOrder("sampling", labels, seededRandom(3));
    expect(order).toHaveLength(labels.length);
    const drawn = CLASSES.map((_, c) => order.filter((i) => labels[i] === c).length);
    // Binomial(n, 1/4): four standard deviations either side of n/4.
    const tolerance = 4 * Math.sqrt(labels.length * (1 / 4) * (3 / 4));
    for (const count of drawn) expect(Math.abs(count - labels.length / 4)).toBeLessThan(tolerance);
    const rarest = counts.indexOf(Math.min(...counts));
    const rarestImages = labels.flatMap((label, i) => (label === rarest ? [i] : []));
    expect(new Set(order.filter((i) => labels[i] === rarest))).toEqual(new Set(rarestImages));
    expect(epochOrder("sampling", labels, seededRandom(3))).toEqual(order);
    expect(epochOrder("sampling", labels, seededRandom(4))).not.toEqual(order);
  });
});
