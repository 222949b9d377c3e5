import { z } from "zod";

/**
 * Every queue, every job name on it, and the schema of that job's payload.
 * Payloads carry `v` so a worker can refuse a shape it does not know instead of guessing.
 */
export const PreprocessImagePayload = z.object({
  v: z.literal(1),
  imageId: z.uuid(),
});
export type PreprocessImagePayload = z.infer<typeof PreprocessImagePayload>;

export const ClassifyImagePayload = z.object({
  v: z.literal(1),
  imageId: z.uuid(),
});
export type ClassifyImagePayload = z.infer<typeof ClassifyImagePayload>;

/**
 * A version in shadow (`leukoflow models shadow`) scores one image whose model input is ready, beside
 * the active version: run by the shadow inference workers only (INFERENCE_ROLE=shadow), written to
 * ShadowPrediction, never to a result. `modelVersionId` is the version in shadow when it was queued;
 * a job whose version is no longer in shadow is dropped.
 */
export const ScoreShadowPayload = z.object({
  v: z.literal(1),
  imageId: z.uuid(),
  modelVersionId: z.uuid(),
});
export type ScoreShadowPayload = z.infer<typeof ScoreShadowPayload>;

/** Segmentation mask, overlay and per-cell crops of an image, for a person to look at (run by the preprocess worker). */
export const RenderReviewImagesPayload = z.object({
  v: z.literal(1),
  imageId: z.uuid(),
});
export type RenderReviewImagesPayload = z.infer<typeof RenderReviewImagesPayload>;

/** The Grad-CAM overlay of a prediction's winning class (run by an inference worker serving its model version). */
export const RenderGradcamPayload = z.object({
  v: z.literal(1),
  predictionId: z.uuid(),
});
export type RenderGradcamPayload = z.infer<typeof RenderGradcamPayload>;

/** A specimen completed; POST the signed event to its lab's webhook (run by the ingest process). */
export const DeliverSpecimenWebhookPayload = z.object({
  v: z.literal(1),
  specimenId: z.uuid(),
  completedAt: z.iso.datetime(),
});
export type DeliverSpecimenWebhookPayload = z.infer<typeof DeliverSpecimenWebhookPayload>;

/** One run of a periodic sweep of the ingest process; its job scheduler adds one per interval, whatever the replicas. */
export const SweepPayload = z.object({ v: z.literal(1) });
export type SweepPayload = z.infer<typeof SweepPayload>;

export const JOB_CONTRACTS = {
  preprocess: { "preprocess-image": PreprocessImagePayload },
  inference: { "classify-image": ClassifyImagePayload },
  "shadow-inference": { "score-shadow": ScoreShadowPayload },
  webhooks: { "deliver-specimen-webhook": DeliverSpecimenWebhookPayload },
  "review-images": { "render-review-images": RenderReviewImagesPayload },
  gradcam: { "render-gradcam": RenderGradcamPayload },
  sweeps: {
    "reconcile-stranded-images": SweepPayload,
    "dispatch-completions": SweepPayload,
    housekeeping: SweepPayload,
    "sweep-unowned-uploads": SweepPayload,
  },
} as const;

export type QueueName = keyof typeof JOB_CONTRACTS;
export type JobName<Q extends QueueName> = keyof (typeof JOB_CONTRACTS)[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = z.infer<(typeof JOB_CONTRACTS)[Q][N]>;

export const QUEUE_NAMES = Object.keys(JOB_CONTRACTS) as QueueName[];

export function payloadSchema<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N): z.ZodType {
  return JOB_CONTRACTS[queue][name] as z.ZodType;
}
