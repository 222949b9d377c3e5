import { sameModelInput, type EnsembleScore, type ModelInputSpec, type TtaMode } from "@leukoflow/ml";
import { type ModelVersion } from "@leukoflow/shared";
import type { ServedMember, ServedModel } from "./model-registry/served-model.js";
import { calledClass, malignantThresholds } from "@leukoflow/contracts";
import type { Lease } from "./serving/model-slot.js";

/** Where a batch leases the model it runs on: the active version's ModelSlot, or the shadow worker's ShadowSlot. */
export interface ServedModelSource {
  acquire(): Lease<ServedModel>;
  dispose(): void;
}

export interface ClassifyRequest {
  imageId: string;
  labId: string;
  specimenId: string;
  sha256: string;
  /** Model-input RGB bytes, HWC, made by the preprocess worker for `input`. */
  pixels: Uint8Array;
  input: ModelInputSpec;
  submittedAt: number;
  jobTimings: { queueWaitMs: number; fetchMs: number };
}

export interface Classification {
  request: ClassifyRequest;
  version: ModelVersion;
  members: ServedMember[];
  score: EnsembleScore;
  /** The class the image is reported as under the version's operating point (calledClass). */
  winner: number;
  batch: { size: number; startedAt: number; inferenceMs: number };
}

/** The model that took the batch wants another input than the request's pixels were made for (a model switch while images were in flight). */
export interface InputRefusal {
  refusedBy: ModelVersion;
}

export type ClassifyOutcome = { classified: Classification } | InputRefusal;

/** One forward pass for a batch of requests, all on the same model version; Grad-CAM is made when asked for (gradcam-handler). */
export function createBatchClassifier(slot: ServedModelSource, tta: TtaMode) {
  return {
    async predict(requests: ClassifyRequest[]): Promise<ClassifyOutcome[]> {
      const lease = slot.acquire();
      try {
        const { ensemble, version, members } = lease.model;
        const fitting = requests.filter((request) => sameModelInput(request.input, ensemble.input));
        const classified = new Map<ClassifyRequest, Classification>();
        if (fitting.length > 0) {
          const startedAt = performance.now();
          const images = fitting.map((request) => request.pixels);
          const scores = await ensemble.score(images, tta);
          const threshold = malignantThresholds(version.operatingPoint).image;
          const winners = scores.map((score) =>
            calledClass(score.probabilities, version.classes, threshold, version.malignantClasses),
          );
          const batch = { size: fitting.length, startedAt, inferenceMs: performance.now() - startedAt };
          fitting.forEach((request, i) =>
            classified.set(request, { request, version, members, score: scores[i]!, winner: winners[i]!, batch }),
          );
        }
        return requests.map((request) => {
          const classification = classified.get(request);
          return classification ? { classified: classification } : { refusedBy: version };
        });
      } finally {
        lease.release();
      }
    },
    dispose: () => slot.dispose(),
  };
}
export type BatchClassifier = ReturnType<typeof createBatchClassifier>;
