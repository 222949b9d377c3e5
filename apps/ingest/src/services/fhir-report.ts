/// <reference types="fhir" />
import type { Review, SpecimenReport } from "@leukoflow/contracts";
import type { Database } from "@leukoflow/shared";
import { specimenReport } from "./specimen-report.js";

const CODE_SYSTEM = "https://leukoflow.dev/fhir/CodeSystem";
const UCUM = "http://unitsofmeasure.org";

export interface ModelVersionRef {
  id: string;
  name: string;
  version: string;
  artifactSha256: string;
}

/** The lab's specimen report as a FHIR R4 Bundle (fhirReportBundle); null when the specimen is not the lab's. */
export async function specimenFhirBundle(
  db: Database,
  labId: string,
  specimenId: string,
): Promise<fhir4.Bundle | null> {
  const report = await specimenReport(db, labId, specimenId);
  if (!report) return null;
  return fhirReportBundle(report, await db.modelVersions.listBySpecimen(specimenId));
}

/**
 * A specimen report as a FHIR R4 collection Bundle: one DiagnosticReport, one Observation per
 * classified image (the predicted cell class, with each class probability, P(malignant) and the
 * operating point's threshold as components) and one
 * Device per model version that made a prediction. An Observation is `preliminary` until a
 * technologist reviews it: then it is `final` and carries the reviewed label, with the review as a
 * note. LeukoFlow is decision support; the report is `final` once every observation is.
 */
export function fhirReportBundle(report: SpecimenReport, models: ModelVersionRef[]): fhir4.Bundle {
  const used = new Set(report.images.flatMap((image) => (image.prediction ? [image.prediction.model] : [])));
  const modelByKey = new Map(models.map((model) => [`${model.name}@${model.version}`, model]));
  const devices: fhir4.Device[] = [...used]
    .flatMap((key) => (modelByKey.has(key) ? [modelByKey.get(key)!] : []))
    .map((model) => ({
      resourceType: "Device",
      id: model.id,
      identifier: [{ system: `${CODE_SYSTEM}/model-artifact-sha256`, value: model.artifactSha256 }],
      deviceName: [{ name: model.name, type: "model-name" }],
      version: [{ value: model.version }],
      type: { text: "White-blood-cell image classifier (CNN)" },
    }));
  const subject = report.patientRef ? { subject: { identifier: { value: report.patientRef } } } : {};
  const observations: fhir4.Observation[] = report.images.flatMap((image) => {
    const prediction = image.prediction;
    if (image.status !== "CLASSIFIED" || !prediction) return [];
    const model = modelByKey.get(prediction.model);
    const { review } = image;
    const label = review?.label ?? prediction.label;
    const notes: fhir4.Annotation[] = [
      ...(image.originalName ? [{ text: `image ${image.originalName} (sha256 ${image.sha256})` }] : []),
      ...(review ? [{ text: reviewNote(review), time: review.createdAt }] : []),
    ];
    return [
      {
        resourceType: "Observation",
        id: image.id,
        status: review ? "final" : "preliminary",
        code: {
          coding: [
            { system: `${CODE_SYSTEM}/observation`, code: "wbc-image-class", display: "White-blood-cell image class" },
          ],
        },
        ...subject,
        valueCodeableConcept: { coding: [{ system: `${CODE_SYSTEM}/cell-class`, code: label }], text: label },
        component: [
          ...Object.entries(prediction.probabilities).map(([label, probability]) => ({
            code: { coding: [{ system: `${CODE_SYSTEM}/cell-class`, code: label }], text: `probability of ${label}` },
            valueQuantity: probabilityQuantity(probability),
          })),
          {
            code: {
              coding: [{ system: `${CODE_SYSTEM}/decision`, code: "malignant-probability" }],
              text: `P(malignant): sum of the probabilities of the model's malignant classes (${prediction.malignantClasses.join(", ")})`,
            },
            valueQuantity: probabilityQuantity(prediction.malignantProbability),
          },
          {
            code: {
              coding: [{ system: `${CODE_SYSTEM}/decision`, code: "malignant-threshold" }],
              text: "operating point: called malignant when P(malignant) ≥ this",
            },
            valueQuantity: probabilityQuantity(prediction.malignantThreshold),
          },
        ],
        ...(notes.length > 0 ? { note: notes } : {}),
        ...(model ? { device: { reference: `urn:uuid:${model.id}` } } : {}),
      },
    ];
  });
  const summary = report.summary;
  const allFinal = observations.length > 0 && observations.every((observation) => observation.status === "final");
  const diagnosticReport: fhir4.DiagnosticReport = {
    resourceType: "DiagnosticReport",
    id: report.id,
    identifier: [{ system: `${CODE_SYSTEM}/accession`, value: report.accession }],
    status:
      report.status === "FAILED"
        ? "cancelled"
        : report.status !== "COMPLETED"
          ? "registered"
          : allFinal
            ? "final"
            : "preliminary",
    code: {
      coding: [
        {
          system: `${CODE_SYSTEM}/report`,
          code: "all-screening",
          display: "ALL screening of peripheral blood smear images",
        },
      ],
    },
    ...subject,
    ...(report.completedAt ? { issued: report.completedAt } : {}),
    result: observations.map((observation) => ({ reference: `urn:uuid:${observation.id}` })),
    ...(summary
      ? {
          conclusion: `${summary.call}${summary.dominantSubtype ? ` (${summary.dominantSubtype})` : ""}: ${summary.classifiedCount} of ${summary.imageCount} images classified, malignant fraction ${summary.malignantFraction.toFixed(2)}${specimenScore(summary)}`,
          conclusionCode: [{ coding: [{ system: `${CODE_SYSTEM}/specimen-call`, code: summary.call }] }],
        }
      : {}),
  };
  const resources: fhir4.FhirResource[] = [diagnosticReport, ...observations, ...devices];
  return {
    resourceType: "Bundle",
    type: "collection",
    timestamp: new Date().toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}

function probabilityQuantity(value: number): fhir4.Quantity {
  return { value, unit: "probability", system: UCUM, code: "1" };
}

function specimenScore(summary: NonNullable<SpecimenReport["summary"]>): string {
  const { meanMalignantProbability: mean, thresholds } = summary;
  return mean === undefined || !thresholds
    ? ""
    : `, mean P(malignant) ${mean.toFixed(3)} against the specimen threshold ${thresholds.specimen.toFixed(3)} (image threshold ${thresholds.image.toFixed(3)})`;
}

function reviewNote(review: Review): string {
  const decision =
    review.decision === "CONFIRMED" ? "confirmed" : `overridden from ${review.predictedLabel} to ${review.label}`;
  return `Reviewed: ${decision} by ${review.reviewer}${review.reason ? `: ${review.reason}` : ""}`;
}
