import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppName } from "../support/app-process.js";
import { ariaImages } from "../support/datasets.js";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { expectClassifiedExactlyOnce, Pipeline } from "../support/pipeline.js";
import { processStats, type ProcessStats } from "../support/process-stats.js";

const ROUNDS = 4;
const PER_CLASS = 8;
/** Each round a specimen of 32 images not seen before (4 classes × 8): 128 in all. */
const round = (index: number) =>
  ["benign", "early_pre_b", "pre_b", "pro_b"].flatMap((label) => ariaImages(label, PER_CLASS, 600 + index * PER_CLASS));
/** Descriptors idle within ±2 of each other from round to round; a leak of one per 8 images (12 over the last 96) fails this. */
const FD_SLACK = 12;
/** Memory idles within about 10 % from round to round; a leak of more than about 1.5 MiB per image fails this. */
const RSS_GROWTH_LIMIT = 1.5;

/**
 * A CI-sized soak: rounds of real images through the three apps as processes. Every round is
 * classified exactly once, and each process's open descriptors and resident memory, sampled when
 * the pipeline is idle after each round, do not grow with the images it has handled.
 */
describe("soak", () => {
  const services = useIsolatedServices();
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await Pipeline.start(services);
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it(`classifies ${ROUNDS} rounds of ${PER_CLASS * 4} images exactly once, with flat descriptors and memory`, async () => {
    const { key } = await createTestLab(services.prisma, "soak-lab");
    const idle: Record<AppName, ProcessStats>[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const specimenId = await pipeline.uploadSpecimen(key, `SOAK-${index}`, round(index));
      // The dataset holds a few byte-identical files, which a lab stores once: count the Image rows.
      await expectClassifiedExactlyOnce(
        services,
        specimenId,
        await services.prisma.image.count({ where: { specimenId } }),
      );
      idle.push(
        Object.fromEntries(Object.values(pipeline.apps).map((app) => [app.app, processStats(app.pid)])) as Record<
          AppName,
          ProcessStats
        >,
      );
    }
    expect(await services.prisma.prediction.count()).toBe(await services.prisma.image.count());

    const [first, last] = [idle[0]!, idle.at(-1)!];
    for (const app of Object.keys(first) as AppName[]) {
      expect(last[app].openFds, `${app}: open descriptors after round 1 and ${ROUNDS}`).toBeLessThanOrEqual(
        first[app].openFds + FD_SLACK,
      );
      expect(last[app].rssMiB, `${app}: resident MiB after round 1 and ${ROUNDS}`).toBeLessThanOrEqual(
        first[app].rssMiB * RSS_GROWTH_LIMIT,
      );
    }
  }, 300_000);
});
