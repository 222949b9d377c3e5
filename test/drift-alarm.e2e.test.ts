import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreDriftBaseline } from "@leukoflow/ml";
import { modelRef, recordDriftBaseline } from "@leukoflow/model-registry";
import { firingDriftAlarms, type DriftSample } from "@leukoflow/observability";
import { freePort } from "@leukoflow/stack";
import { ariaImages, ARIA_ORIGINAL_DIR, pbcImages } from "./support/datasets.js";
import { useIsolatedServices } from "./support/isolated-services.js";
import { createTestLab } from "./support/labs.js";
import { expectClassifiedExactlyOnce, Pipeline, SHIPPED_MODEL_DIR } from "./support/pipeline.js";

/** Held-out blocks of the ALL dataset (file numbers the model never trained on), six per class. */
const HELD_OUT_ALL = [
  ...ariaImages("benign", 6, 380),
  ...ariaImages("early_pre_b", 6, 760),
  ...ariaImages("pre_b", 6, 740),
  ...ariaImages("pro_b", 6, 620),
];
/** Another lab's normal cells on another scanner, three of each of the eight types. */
const PBC = [
  "basophil",
  "eosinophil",
  "erythroblast",
  "ig",
  "lymphocyte",
  "monocyte",
  "neutrophil",
  "platelet",
].flatMap((type) => pbcImages(type, 3));

/** A model flagging more than this share of its own monitor blocks is not calibrated as docs/ood.md says. */
const DRIFT_SANITY_OOD_RATE = 0.15;

type Scraped = Map<string, number>;

/** Prometheus text format → series (name{labels as exported}) → value. */
function parseMetrics(text: string): Scraped {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(leukoflow_model_\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match) series.set(`${match[1]}{${match[2]}}`, Number(match[3]));
  }
  return series;
}

/** The value of the series of `name` whose labels include each of `labels` (as `key="value"`). */
function seriesValue(scraped: Scraped, name: string, labels: string[]): number | undefined {
  for (const [key, value] of scraped)
    if (key.startsWith(`${name}{`) && labels.every((label) => key.includes(label))) return value;
  return undefined;
}

/** The scraped values the alarm expressions read, for one model version and lab. */
function sample(scraped: Scraped, model: string, lab: string): DriftSample {
  const value = (name: string, ...extra: string[]): number | undefined =>
    seriesValue(scraped, name, [`model="${model}"`, `lab="${lab}"`, ...extra]);
  return {
    predictions: value("leukoflow_model_window_predictions") ?? 0,
    oodRate: value("leukoflow_model_ood_rate") ?? 0,
    baselineOodRate: value("leukoflow_model_baseline_ood_rate"),
    oodScorePsi: value("leukoflow_model_drift_psi", 'feature="ood_score"'),
  };
}

describe("drift alarms: another lab's images fire them, held-out ALL images do not", () => {
  const services = useIsolatedServices();
  let pipeline: Pipeline;
  let metricsUrl: string;

  beforeAll(async () => {
    const operatorPort = await freePort();
    metricsUrl = `http://127.0.0.1:${operatorPort}/metrics`;
    pipeline = await Pipeline.start(services, { OPERATOR_PORT: String(operatorPort) });
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it("exports per lab what the stored predictions show, and the alarm expressions hold only for the PBC lab", async () => {
    const baseline = await scoreDriftBaseline({
      modelDir: SHIPPED_MODEL_DIR,
      dataDir: ARIA_ORIGINAL_DIR,
      tta: "flips",
    });
    const version = await recordDriftBaseline(services.db, SHIPPED_MODEL_DIR, baseline);
    expect(baseline.images).toBeGreaterThan(200);
    expect(baseline.oodRate).toBeLessThan(DRIFT_SANITY_OOD_RATE);

    const home = await createTestLab(services.prisma, "home-lab");
    const other = await createTestLab(services.prisma, "pbc-lab");
    const homeSpecimen = await pipeline.uploadSpecimen(home.key, "HOME-1", HELD_OUT_ALL);
    const otherSpecimen = await pipeline.uploadSpecimen(other.key, "PBC-1", PBC);
    await expectClassifiedExactlyOnce(services, homeSpecimen, HELD_OUT_ALL.length, 480_000);
    await expectClassifiedExactlyOnce(services, otherSpecimen, PBC.length, 480_000);

    const scraped = parseMetrics(await (await fetch(metricsUrl)).text());
    const model = modelRef(version);
    for (const [lab, specimenId] of [
      ["home-lab", homeSpecimen],
      ["pbc-lab", otherSpecimen],
    ] as const) {
      const stored = await services.prisma.prediction.findMany({ where: { image: { specimenId } } });
      const exported = sample(scraped, model, lab);
      expect(exported.predictions).toBe(stored.length);
      expect(exported.oodRate).toBeCloseTo(stored.filter((p) => (p.oodScore ?? 0) > 0).length / stored.length, 10);
      expect(exported.baselineOodRate).toBeCloseTo(baseline.oodRate, 10);
      const meanConfidence = stored.reduce((sum, p) => sum + p.confidence, 0) / stored.length;
      expect(seriesValue(scraped, "leukoflow_model_mean_confidence", [`model="${model}"`, `lab="${lab}"`])).toBeCloseTo(
        meanConfidence,
        6,
      );
    }
    const homeSample = sample(scraped, model, "home-lab");
    const pbcSample = sample(scraped, model, "pbc-lab");
    expect(firingDriftAlarms(homeSample)).toEqual([]);
    expect(firingDriftAlarms(pbcSample).sort()).toEqual(["LeukoFlowModelDrift", "LeukoFlowOodRateHigh"]);
    expect(pbcSample.oodScorePsi!).toBeGreaterThan(homeSample.oodScorePsi! * 4);
  }, 900_000);
});
