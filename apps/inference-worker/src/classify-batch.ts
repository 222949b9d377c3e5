import type { EnsembleScore, TtaMode } from "@leukoflow/ml";
import type { ModelVersion } from "@leukoflow/shared";
import type { ServedMember, ServedModel } from "./model-registry/served-model.js";
import type { ModelSlot } from "./serving/model-slot.js";
import { winningClass } from "./image-flags.js";

export interface ClassifyRequest {
  imageId: string;
  labId: string;
  specimenId: string;
  sha256: string;
  /** Model-input RGB bytes, HWC. */
  pixels: Uint8Array;
  submittedAt: number;
  jobTimings: { queueWaitMs: number; decodeMs: number };
}

export interface Classification {
  request: ClassifyRequest;
  version: ModelVersion;
  members: ServedMember[];
  score: EnsembleScore;
  winner: number;
  /** Grad-CAM of the winning class, inputSize² values in [0, 1]. */
  gradCam: Float32Array;
  batch: { size: number; startedAt: number; inferenceMs: number };
}

/** One forward pass (plus Grad-CAM of each winning class) for a batch of requests, all on the same model version. */
export function createBatchClassifier(slot: ModelSlot<ServedModel>, tta: TtaMode) {
  return {
    async predict(requests: ClassifyRequest[]): Promise<Classification[]> {
      const lease = slot.acquire();
      try {
        const { ensemble, version, members } = lease.model;
        const startedAt = performance.now();
        const images = requests.map((request) => request.pixels);
        const scores = await ensemble.score(images, tta);
        const winners = scores.map(winningClass);
        const maps = await ensemble.gradCam(images, winners);
        const batch = { size: requests.length, startedAt, inferenceMs: performance.now() - startedAt };
        return requests.map((request, i) => ({ request, version, members, score: scores[i]!, winner: winners[i]!, gradCam: maps[i]!, batch }));
      } finally {
        lease.release();
      }
    },
    dispose: () => slot.dispose(),
  };
}
export type BatchClassifier = ReturnType<typeof createBatchClassifier>;
