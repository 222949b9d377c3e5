import { readFileSync } from "node:fs";
import path from "node:path";
import { Fhir } from "fhir";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

/** The `type` of an RFC 9457 problem response. */
const problemType = async (response: Response): Promise<string> => ((await response.json()) as { type: string }).type;

interface ReportImage {
  id: string;
  prediction: { label: string } | null;
  review: { decision: string; predictedLabel: string; label: string; reason: string | null; reviewer: string } | null;
}

describe("POST /v1/images/{id}/review: confirm or override a prediction", () => {
  const harness = useIngestServer();
  const { services, call, json } = harness;
  let lab: TestLab;
  let readOnly: TestLab["key"];
  let images: ReportImage[];
  let specimenId: string;

  const report = async () =>
    (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}`)).json()) as { images: ReportImage[] };
  const review = (imageId: string, body: unknown, key = lab.key) =>
    json(key, "POST", `/v1/images/${imageId}/review`, body);

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-review");
    readOnly = (await createTestLab(services.prisma, "lab-review-reader", ["READ"])).key;
    const specimen = await harness.createSpecimen(lab.key, "REV-1");
    specimenId = specimen.id;
    const files = ariaImages("pre_b", 3, 80).map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    expect((await harness.upload(lab.key, specimen.id, files)).status).toBe(201);
    await classifySpecimen(services, specimen.id, "pre_b");
    images = (await report()).images;
  });

  it("confirms a prediction, records an AuditEvent and shows the review in the report", async () => {
    const image = images[0]!;
    const response = await review(image.id, { decision: "CONFIRMED" });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      decision: "CONFIRMED",
      predictedLabel: "pre_b",
      label: "pre_b",
      reason: null,
      reviewer: "test",
    });

    const shown = (await report()).images.find((candidate) => candidate.id === image.id)!;
    expect(shown.review).toMatchObject({ decision: "CONFIRMED", label: "pre_b" });
    const audit = await services.prisma.auditEvent.findMany({ where: { entityType: "image", entityId: image.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "image.reviewed", labId: lab.lab.id, actor: `api-key:${lab.apiKey.id}` });
    expect(audit[0]!.details).toMatchObject({ decision: "CONFIRMED", predictedLabel: "pre_b", label: "pre_b" });
  });

  it("overrides a label with a reason; the report shows the latest review", async () => {
    const image = images[1]!;
    expect((await review(image.id, { decision: "CONFIRMED" })).status).toBe(201);
    const response = await review(image.id, {
      decision: "OVERRIDDEN",
      label: "pro_b",
      reason: "Fine chromatin, prominent nucleoli",
    });
    expect(response.status).toBe(201);

    const shown = (await report()).images.find((candidate) => candidate.id === image.id)!;
    expect(shown.review).toMatchObject({
      decision: "OVERRIDDEN",
      predictedLabel: "pre_b",
      label: "pro_b",
      reason: "Fine chromatin, prominent nucleoli",
    });
    expect(await services.prisma.review.count({ where: { imageId: image.id } })).toBe(2);
    expect(await services.prisma.auditEvent.count({ where: { entityId: image.id, action: "image.reviewed" } })).toBe(2);
  });

  it("exports reviewed images as final FHIR Observations carrying the reviewed label and the review", async () => {
    const bundle = (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}/fhir`)).json()) as {
      entry: {
        resource: {
          resourceType: string;
          id: string;
          status: string;
          valueCodeableConcept?: { text: string };
          note?: { text: string }[];
        };
      }[];
    };
    expect(new Fhir().validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
    const resource = (id: string) => bundle.entry.find((entry) => entry.resource.id === id)!.resource;
    expect(resource(images[0]!.id)).toMatchObject({ status: "final", valueCodeableConcept: { text: "pre_b" } });
    expect(resource(images[1]!.id)).toMatchObject({ status: "final", valueCodeableConcept: { text: "pro_b" } });
    expect(resource(images[1]!.id).note!.at(-1)!.text).toBe(
      "Reviewed: overridden from pre_b to pro_b by test: Fine chromatin, prominent nucleoli",
    );
    expect(resource(images[2]!.id)).toMatchObject({ status: "preliminary", valueCodeableConcept: { text: "pre_b" } });
    expect(resource(specimenId)).toMatchObject({ resourceType: "DiagnosticReport", status: "preliminary" });
  });

  it("refuses an override without a reason, to an unknown label or to the predicted label", async () => {
    const image = images[2]!;
    const noReason = await review(image.id, { decision: "OVERRIDDEN", label: "benign" });
    expect(noReason.status).toBe(400);
    expect(await problemType(noReason)).toBe("https://leukoflow.dev/problems/invalid-request");
    const unknown = await review(image.id, { decision: "OVERRIDDEN", label: "blast", reason: "x" });
    expect(unknown.status).toBe(422);
    expect(await problemType(unknown)).toBe("https://leukoflow.dev/problems/unknown-label");
    const same = await review(image.id, { decision: "OVERRIDDEN", label: "pre_b", reason: "x" });
    expect(await problemType(same)).toBe("https://leukoflow.dev/problems/override-same-label");
    expect(await services.prisma.review.count({ where: { imageId: image.id } })).toBe(0);
  });

  it("needs the WRITE scope, keeps other labs out and waits for a prediction", async () => {
    expect((await review(images[2]!.id, { decision: "CONFIRMED" }, readOnly)).status).toBe(403);
    const other = await createTestLab(services.prisma, "lab-review-other");
    expect((await review(images[2]!.id, { decision: "CONFIRMED" }, other.key)).status).toBe(404);

    const pending = await harness.createSpecimen(lab.key, "REV-2");
    const [file] = ariaImages("pre_b", 1, 90);
    const uploaded = (await (
      await harness.upload(lab.key, pending.id, [{ name: "p.jpg", bytes: readFileSync(file!) }])
    ).json()) as {
      accepted: { imageId: string }[];
    };
    const unclassified = await review(uploaded.accepted[0]!.imageId, { decision: "CONFIRMED" });
    expect(unclassified.status).toBe(409);
    expect(await problemType(unclassified)).toBe("https://leukoflow.dev/problems/image-not-classified");
  });
});
