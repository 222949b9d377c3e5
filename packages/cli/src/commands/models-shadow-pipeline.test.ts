import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReviewQueue, ShadowComparison } from "@leukoflow/contracts";
import { CHANGE_ACTIONS, publishModel, type ChangeRecord } from "@leukoflow/model-registry";
import {
  createQueue,
  createRedisConnection,
  inShadowSample,
  shadowJobId,
  type LeukoflowQueue,
  type ModelVersion,
} from "@leukoflow/shared";
import type { Redis } from "ioredis";
import { ariaImages } from "../../../../test/support/datasets.js";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { createTestLab } from "../../../../test/support/labs.js";
import { expectClassifiedExactlyOnce, Pipeline } from "../../../../test/support/pipeline.js";
import { waitFor } from "../../../../test/support/wait-for.js";
import { MODELS_DIR } from "../paths.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerModelsCommand } from "./models.js";

const run = (args: string[]): Promise<string> => runCommands([registerModelsCommand], args);

/** Held-out images of aria-cnn-v1 (file numbers it never trained on), as two specimens. */
const SPECIMENS = {
  "SH-1": [...ariaImages("benign", 4, 380), ...ariaImages("early_pre_b", 1, 760)],
  "SH-2": [...ariaImages("pre_b", 2, 740), ...ariaImages("pro_b", 2, 620), ...ariaImages("benign", 1, 390)],
};
/** Independent of the code under test: the classes whose calls are malignant. */
const MALIGNANT = new Set(["early_pre_b", "pre_b", "pro_b"]);
const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
/** The candidate's operating point: calls an image malignant from P = 0.05 and a specimen from a mean of 0.1. */
const CANDIDATE_THRESHOLDS = { image: 0.05, specimen: 0.1 };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;

/** What a lab sees with ids, times, its own slug and per-request timings left out: the results themselves. */
function normalized(value: unknown, labSlug: string): unknown {
  const text = JSON.stringify(value, (key, v: unknown) => (key === "timings" ? undefined : v));
  return JSON.parse(text.replace(UUID, "<id>").replace(TIME, "<time>").replaceAll(labSlug, "<lab>"));
}

/** A shipped model under another version with an operating point (and whatever else `extra` sets). */
async function variantOf(model: string, version: string, extra: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-shadow-model-"));
  await cp(path.join(MODELS_DIR, model), dir, { recursive: true });
  const file = path.join(dir, "leukoflow-model.json");
  const figures = { sensitivity: 1, specificity: 0.5, malignant: 10, benign: 10 };
  const operatingPoint = {
    malignantThreshold: CANDIDATE_THRESHOLDS.image,
    target: { metric: "sensitivity", value: 1 },
    tta: "flips",
    fittedOn: { ...figures, split: "monitor", images: 20 },
    specimen: {
      rule: "mean_malignant_probability",
      threshold: CANDIDATE_THRESHOLDS.specimen,
      targetSensitivity: 1,
      fittedOn: { ...figures, split: "monitor", specimens: 4, imagesPerSpecimen: [6, 12] },
    },
  };
  await writeFile(
    file,
    JSON.stringify({ ...JSON.parse(await readFile(file, "utf8")), version, operatingPoint, ...extra }),
  );
  return dir;
}

describe("a model in shadow scores live images on its own workers and changes nothing a lab sees", () => {
  const services = useIsolatedServices();
  let pipeline: Pipeline;
  let receiver: Server;
  let redis: Redis;
  let shadowQueue: LeukoflowQueue<"shadow-inference">;
  const deliveries = new Map<string, string[]>();
  let active: ModelVersion;
  let candidate: ModelVersion;
  const ref = (v: { name: string; version: string }) => `${v.name}@${v.version}`;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const lab = request.url!.split("/").at(-1)!;
        deliveries.set(lab, [...(deliveries.get(lab) ?? []), body]);
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    // One image per forward pass, so each image's scores do not depend on what shares its batch.
    pipeline = await Pipeline.start(services, {
      INFERENCE_MAX_BATCH_SIZE: "1",
      PROGRESS_POLL_MS: "100",
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      MODEL_POLL_INTERVAL_MS: "300",
      JOB_ATTEMPTS: "4",
      JOB_BACKOFF_MS: "250",
    });
    const deps = { db: services.db, objectStore: services.objectStore };
    active = await services.prisma.modelVersion.findFirstOrThrow({ where: { active: true } });
    // Fine-tuned, as `train --init-from` records it: it may be activated only once it scored live images in shadow.
    candidate = await publishModel(
      deps,
      await variantOf("aria-cnn5-v1", "1.2.0-ft", { initialisedFrom: "aria-cnn5-v1 1.2.0" }),
      { activate: false },
    );
    redis = createRedisConnection(services.env.REDIS_URL!);
    shadowQueue = createQueue("shadow-inference", redis, services.env.QUEUE_PREFIX!);
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
    await shadowQueue?.close();
    redis?.disconnect();
    await new Promise((resolve) => receiver?.close(resolve));
  });
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  async function labWithWebhook(slug: string): Promise<string> {
    const { key } = await createTestLab(services.prisma, slug, ["READ", "WRITE", "ADMIN"]);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${slug}`;
    const configured = await api(key, "PUT", "/v1/webhook", { url });
    expect(configured.status).toBe(200);
    return key;
  }

  const api = (key: string, method: string, route: string, body?: unknown) =>
    fetch(`${pipeline.baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const json = async <T>(key: string, route: string): Promise<T> => {
    const response = await api(key, "GET", route);
    expect(response.status, route).toBe(200);
    return (await response.json()) as T;
  };

  /** Uploads the specimens for a lab and waits until each is complete and its webhook delivered. */
  async function uploadAll(
    key: string,
    slug: string,
    specimens: Record<string, string[]>,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const [accession, files] of Object.entries(specimens))
      ids.set(accession, await pipeline.uploadSpecimen(key, accession, files));
    for (const [accession, files] of Object.entries(specimens))
      await expectClassifiedExactlyOnce(services, ids.get(accession)!, files.length, 300_000);
    await waitFor(`${slug}'s webhooks`, async () => ((deliveries.get(slug)?.length ?? 0) >= ids.size ? true : null));
    return ids;
  }

  /** Everything a lab sees of its specimens: prediction rows, summaries, reports, FHIR, webhooks and review queue. */
  async function labView(key: string, slug: string, ids: Map<string, string>) {
    const predictions = await services.prisma.prediction.findMany({
      where: { image: { specimenId: { in: [...ids.values()] } } },
      include: { image: { select: { originalName: true, specimen: { select: { accession: true } } } } },
    });
    const rows = predictions
      .map((p) => ({
        at: `${p.image.specimen.accession}/${p.image.originalName}`,
        modelVersionId: p.modelVersionId,
        label: p.label,
        confidence: p.confidence,
        malignantProbability: p.malignantProbability,
        probabilities: p.probabilities,
        flags: p.flags,
        oodScore: p.oodScore,
        members: p.members,
        gradcamKey: p.gradcamKey,
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
    const view: Record<string, unknown> = { rows };
    for (const [accession, id] of [...ids].sort()) {
      const specimen = await services.prisma.specimen.findUniqueOrThrow({ where: { id } });
      const report = await json<{ images: { originalName: string }[] }>(key, `/v1/specimens/${id}`);
      report.images.sort((a, b) => a.originalName.localeCompare(b.originalName));
      const fhir = await json<{ entry: unknown[] }>(key, `/v1/specimens/${id}/fhir`);
      fhir.entry = fhir.entry
        .map((entry) => normalized(entry, slug))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      view[accession] = { summary: specimen.summary, report: normalized(report, slug), fhir: normalized(fhir, slug) };
    }
    const mine = new Set(ids.values());
    view.webhooks = (deliveries.get(slug) ?? [])
      .map((body) => JSON.parse(body) as { data: { id: string } })
      .filter((event) => mine.has(event.data.id))
      .map((event) => normalized(event, slug))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    const queue = await json<ReviewQueue>(key, "/v1/review-queue");
    view.reviewQueue = normalized(
      queue.items
        .filter((item) => mine.has(item.specimenId))
        .sort((a, b) => `${a.accession}/${a.originalName}`.localeCompare(`${b.accession}/${b.originalName}`)),
      slug,
    );
    return view;
  }

  it("scores beside the active version, is compared from the stored rows, fails alone, and is promoted on the record", async () => {
    // Without a shadow.
    const keyOff = await labWithWebhook("shadow-off");
    const idsOff = await uploadAll(keyOff, "shadow-off", SPECIMENS);
    const withoutShadow = await labView(keyOff, "shadow-off", idsOff);

    await expect(run(["models", "activate", ref(candidate), "--reason", "looks good offline"])).rejects.toThrow(
      /has not scored live images in shadow/,
    );
    expect(
      await run(["models", "shadow", ref(candidate), "--sample", "1", "--reason", "Q4 fine-tune", "--by", "erin"]),
    ).toContain(`${ref(candidate)} in shadow: 100.0 % of specimens`);
    // Its own process, consuming the shadow queue only.
    const shadowWorker = pipeline.startApp("inference-worker", {
      INFERENCE_ROLE: "shadow",
      INFERENCE_MAX_BATCH_SIZE: "8",
      LOG_LEVEL: "info",
    });
    await waitFor(
      "the shadow worker",
      async () => (shadowWorker.output.includes("shadow inference worker ready") ? true : null),
      120_000,
    );
    expect(shadowWorker.output).toContain(`"model":"${ref(candidate)}"`);

    // The same images, for another lab, while the candidate is in shadow.
    const keyOn = await labWithWebhook("shadow-on");
    const idsOn = await uploadAll(keyOn, "shadow-on", SPECIMENS);
    const imagesOn = await services.prisma.image.findMany({ where: { specimenId: { in: [...idsOn.values()] } } });
    await waitFor("the shadow's scores", async () =>
      (await services.prisma.shadowPrediction.count({ where: { modelVersionId: candidate.id } })) === imagesOn.length
        ? true
        : null,
    );
    expect(await labView(keyOn, "shadow-on", idsOn)).toEqual(withoutShadow);
    // No result anywhere comes from the candidate; its scores are its own rows, one per image.
    expect(await services.prisma.prediction.count({ where: { modelVersionId: candidate.id } })).toBe(0);
    expect(
      (await services.prisma.shadowPrediction.findMany({ where: { modelVersionId: candidate.id } }))
        .map((row) => row.imageId)
        .sort(),
    ).toEqual(imagesOn.map((image) => image.id).sort());

    // Sampling: whole specimens, decided from their ids. Make specimens until both sides of a 50 % sample have two.
    await run(["models", "shadow", ref(candidate), "--sample", "0.5", "--reason", "half is enough", "--by", "erin"]);
    const { key: keySampled } = await createTestLab(services.prisma, "shadow-sampled");
    const sampled = { in: [] as string[], out: [] as string[] };
    for (let n = 0; sampled.in.length < 2 || sampled.out.length < 2; n++) {
      const created = await api(keySampled, "POST", "/v1/specimens", { accession: `SAMPLE-${n}` });
      const { id } = (await created.json()) as { id: string };
      const side = inShadowSample(id, 0.5) ? sampled.in : sampled.out;
      if (side.length < 2) side.push(id);
    }
    // A file of its own for each: a lab's copy of bytes it already has reuses their classification, unscored.
    const sampledFiles = ariaImages("pre_b", 4, 745);
    for (const [i, id] of [...sampled.in, ...sampled.out].entries()) {
      const form = new FormData();
      form.append("images", new Blob([await readFile(sampledFiles[i]!)]), path.basename(sampledFiles[i]!));
      const uploaded = await fetch(`${pipeline.baseUrl}/v1/specimens/${id}/images`, {
        method: "POST",
        headers: { authorization: `Bearer ${keySampled}` },
        body: form,
      });
      expect(uploaded.status).toBe(201);
    }
    for (const id of [...sampled.in, ...sampled.out]) await expectClassifiedExactlyOnce(services, id, 1, 300_000);
    const imageOf = async (specimenId: string) => services.prisma.image.findFirstOrThrow({ where: { specimenId } });
    for (const id of sampled.in) {
      const image = await imageOf(id);
      await waitFor("a sampled specimen's shadow score", async () =>
        (await services.prisma.shadowPrediction.count({ where: { imageId: image.id } })) === 1 ? true : null,
      );
    }
    for (const id of sampled.out) {
      const image = await imageOf(id);
      expect(await shadowQueue.getJob(shadowJobId(image, candidate.id))).toBeUndefined();
      expect(await services.prisma.shadowPrediction.count({ where: { imageId: image.id } })).toBe(0);
    }

    // compare's figures, against the same figures computed here from the stored rows.
    const comparison = JSON.parse(await run(["models", "compare", ref(candidate), "--json"])) as ShadowComparison;
    const shadowRows = await services.prisma.shadowPrediction.findMany({
      where: { modelVersionId: candidate.id },
      include: {
        image: {
          include: {
            lab: true,
            specimen: { include: { images: { include: { predictions: true, shadowPredictions: true } } } },
            predictions: { where: { modelVersionId: active.id } },
          },
        },
      },
    });
    const pairs = shadowRows.map((row) => ({ row, prediction: row.image.predictions[0]! }));
    expect(pairs.every((pair) => pair.prediction)).toBe(true);
    const malignant = (label: string) => MALIGNANT.has(label);
    const sameLabel = pairs.filter(({ row, prediction }) => row.label === prediction.label);
    const sameCall = pairs.filter(({ row, prediction }) => malignant(row.label) === malignant(prediction.label));
    const confusion = CLASSES.map((a) =>
      CLASSES.map((c) => pairs.filter(({ row, prediction }) => prediction.label === a && row.label === c).length),
    );
    const disagreeing = pairs.filter(({ row, prediction }) => row.label !== prediction.label);
    expect(disagreeing.length).toBeGreaterThan(0);
    const specimens = new Map(shadowRows.map((row) => [row.image.specimenId, row.image.specimen]));
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const callChanges = [...specimens.values()].flatMap((specimen) => {
      const activeP = specimen.images.map((image) => image.predictions.find((p) => p.modelVersionId === active.id)!);
      const candidateP = specimen.images.map((image) =>
        image.shadowPredictions.find((p) => p.modelVersionId === candidate.id)!,
      );
      const activeCall = mean(activeP.map((p) => p.malignantProbability)) >= 0.5;
      const candidateCall = mean(candidateP.map((p) => p.malignantProbability)) >= CANDIDATE_THRESHOLDS.specimen;
      return activeCall === candidateCall ? [] : [specimen.id];
    });
    expect(comparison).toMatchObject({
      candidate: ref(candidate),
      active: ref(active),
      images: pairs.length,
      agreement: { label: sameLabel.length / pairs.length, malignantCall: sameCall.length / pairs.length },
      classes: CLASSES,
      confusion,
      thresholds: { active: { image: 0.5, specimen: 0.5 }, candidate: CANDIDATE_THRESHOLDS },
      specimens: { compared: specimens.size, partlyScored: 0, callChanged: callChanges.length },
    });
    expect(comparison.specimens.changes.map((change) => change.specimenId).sort()).toEqual(callChanges.sort());
    expect(comparison.disagreements.map((d) => d.imageId).sort()).toEqual(
      disagreeing.map(({ row }) => row.imageId).sort(),
    );
    for (const d of comparison.disagreements) {
      const { row, prediction } = disagreeing.find(({ row }) => row.imageId === d.imageId)!;
      expect(d).toMatchObject({
        lab: row.image.lab.slug,
        specimenId: row.image.specimenId,
        active: { label: prediction.label, malignantProbability: prediction.malignantProbability },
        candidate: { label: row.label, malignantProbability: row.malignantProbability },
        malignantCallChanges: malignant(row.label) !== malignant(prediction.label),
      });
    }
    const onlyOn = JSON.parse(
      await run(["models", "compare", ref(candidate), "--json", "--lab", "shadow-on"]),
    ) as ShadowComparison;
    expect(onlyOn.images).toBe(imagesOn.length);
    expect(
      (
        JSON.parse(
          await run(["models", "compare", ref(candidate), "--json", "--since", "2099-01-01"]),
        ) as ShadowComparison
      ).images,
    ).toBe(0);
    expect(await run(["models", "compare", ref(candidate)])).toMatch(/agreement: label .* malignant call/);

    // The workstation's review list: the lab's unreviewed disagreements, with the candidate's score beside the result.
    const queue = await json<ReviewQueue>(
      keyOn,
      `/v1/review-queue?disagreesWith=${encodeURIComponent(ref(candidate))}`,
    );
    expect(queue.shadow).toMatchObject({ model: ref(candidate), sample: 0.5 });
    const expectedOn = disagreeing.filter(({ row }) => row.image.lab.slug === "shadow-on");
    expect(queue.items.map((item) => item.imageId).sort()).toEqual(expectedOn.map(({ row }) => row.imageId).sort());
    for (const item of queue.items) {
      const { row, prediction } = expectedOn.find(({ row }) => row.imageId === item.imageId)!;
      expect(item).toMatchObject({
        label: prediction.label,
        model: ref(active),
        shadow: { model: ref(candidate), label: row.label },
      });
    }
    expect((await api(keyOn, "GET", "/v1/review-queue?disagreesWith=nope@0")).status).toBe(404);

    // A shadow that cannot score (its artifact damaged in storage) fails its own jobs and nothing else.
    const broken = await publishModel(
      { db: services.db, objectStore: services.objectStore },
      await variantOf("aria-cnn5-v1", "1.2.0-broken", {}),
      { activate: false },
    );
    await services.objectStore.put(
      `models/${broken.name}/${broken.version}/model.onnx`,
      Buffer.from("not a model"),
      "application/octet-stream",
    );
    await run(["models", "shadow", ref(broken), "--sample", "1", "--reason", "try the other one", "--by", "erin"]);
    const keyBroken = await labWithWebhook("shadow-broken");
    const idsBroken = await uploadAll(keyBroken, "shadow-broken", { "SH-1": SPECIMENS["SH-1"] });
    expect(await labView(keyBroken, "shadow-broken", idsBroken)).toEqual(
      await labView(keyOff, "shadow-off", new Map([["SH-1", idsOff.get("SH-1")!]])),
    );
    const imagesBroken = await services.prisma.image.findMany({ where: { specimenId: idsBroken.get("SH-1")! } });
    for (const image of imagesBroken) {
      const job = await waitFor("the broken shadow's job to fail", async () => {
        const found = await shadowQueue.getJob(shadowJobId(image, broken.id));
        return found && (await found.getState()) === "failed" ? found : null;
      });
      expect(job.failedReason).toMatch(/has not loaded/);
    }
    expect(await services.prisma.shadowPrediction.count({ where: { modelVersionId: broken.id } })).toBe(0);
    expect(shadowWorker.output).toContain("could not load the version in shadow");
    await run(["models", "shadow", "--stop", "--reason", "damaged artifact", "--by", "erin"]);

    // Promotion: back in shadow, then activated; its shadow ends on the record.
    await run([
      "models",
      "shadow",
      ref(candidate),
      "--sample",
      "1",
      "--reason",
      "back to the fine-tune",
      "--by",
      "erin",
    ]);
    expect(
      await run([
        "models",
        "activate",
        ref(candidate),
        "--reason",
        "compare: agreed on every specimen that matters",
        "--by",
        "frank",
      ]),
    ).toContain(`${ref(candidate)} active`);
    expect(await run(["models", "shadow"])).toContain("no version is in shadow");
    expect((await json<ReviewQueue>(keyOn, "/v1/review-queue")).shadow).toBeNull();
    const history = (JSON.parse(await run(["models", "history", "--json"])) as ChangeRecord[]).map(
      ({ action, model, actor, details }) => ({ action, model, actor, details }),
    );
    const scoredBeforeBroken = shadowRows.length;
    expect(history).toEqual([
      // The fixture's own activation (test/support's TEST_ACTIVATION) is on the record like any other.
      { action: CHANGE_ACTIONS.activated, model: ref(active), actor: "test", details: { previous: null } },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(candidate),
        actor: "cli:erin",
        details: { sample: 1, active: ref(active) },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(candidate),
        actor: "cli:erin",
        details: { sample: 0.5, active: ref(active), previousSample: 1 },
      },
      {
        action: CHANGE_ACTIONS.shadowStopped,
        model: ref(candidate),
        actor: "cli:erin",
        details: { sample: 0.5, scored: scoredBeforeBroken, replacedBy: ref(broken) },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(broken),
        actor: "cli:erin",
        details: { sample: 1, active: ref(active), replaced: ref(candidate) },
      },
      {
        action: CHANGE_ACTIONS.shadowStopped,
        model: ref(broken),
        actor: "cli:erin",
        details: { sample: 1, scored: 0 },
      },
      {
        action: CHANGE_ACTIONS.shadowStarted,
        model: ref(candidate),
        actor: "cli:erin",
        details: { sample: 1, active: ref(active) },
      },
      {
        action: CHANGE_ACTIONS.shadowStopped,
        model: ref(candidate),
        actor: "cli:frank",
        details: { sample: 1, scored: 0, promoted: true },
      },
      {
        action: CHANGE_ACTIONS.activated,
        model: ref(candidate),
        actor: "cli:frank",
        details: { previous: ref(active) },
      },
      {
        action: CHANGE_ACTIONS.operatingPointChanged,
        model: ref(candidate),
        actor: "cli:frank",
        details: { from: { image: 0.5, specimen: 0.5 }, to: CANDIDATE_THRESHOLDS },
      },
    ]);
  }, 900_000);
});
