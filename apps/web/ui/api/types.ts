/** The ingest API's shapes the workstation reads (see /docs on the API for the full contract). */

export type SpecimenStatus = "RECEIVED" | "PROCESSING" | "COMPLETED" | "FAILED";
export type ImageStatus = "RECEIVED" | "PREPROCESSED" | "CLASSIFIED" | "FAILED";
export type SpecimenCall = "all_suspected" | "benign" | "indeterminate";
export type ReviewDecision = "CONFIRMED" | "OVERRIDDEN";

export interface SpecimenSummary {
  imageCount: number;
  classifiedCount: number;
  failedCount: number;
  countsByLabel: Record<string, number>;
  malignantFraction: number;
  /** The specimen rule's score and the operating point it was called at; absent on summaries written before operating points. */
  meanMalignantProbability?: number;
  thresholds?: { image: number; specimen: number };
  dominantSubtype: string | null;
  call: SpecimenCall;
  /** Classified images per flag the worker raised; absent on summaries written before flags existed. */
  flaggedImages?: Record<string, number>;
}

export interface Specimen {
  id: string;
  accession: string;
  patientRef: string | null;
  status: SpecimenStatus;
  summary: SpecimenSummary | null;
  createdAt: string;
  completedAt: string | null;
}

export interface SpecimenPage {
  items: Specimen[];
  nextCursor: string | null;
}

export interface Prediction {
  label: string;
  confidence: number;
  /** P(malignant) and the model version's threshold: the image is called malignant when it is ≥ the threshold. */
  malignantProbability: number;
  malignantThreshold: number;
  probabilities: Record<string, number>;
  model: string;
  gradcamUrl: string | null;
  /** Review flags the inference worker raises (issue 6), e.g. out_of_distribution; absent from older APIs. */
  flags?: string[];
}

export interface Review {
  id: string;
  decision: ReviewDecision;
  predictedLabel: string;
  label: string;
  reason: string | null;
  reviewer: string;
  createdAt: string;
}

export interface ReportImage {
  id: string;
  originalName: string | null;
  sha256: string;
  status: ImageStatus;
  failureReason: string | null;
  prediction: Prediction | null;
  review: Review | null;
}

export interface SpecimenReport extends Specimen {
  images: ReportImage[];
}

export interface SpecimenProgress {
  status: SpecimenStatus;
  images: Record<ImageStatus, number> & { total: number };
  summary: SpecimenSummary | null;
}

export type ReviewRequest = { decision: "CONFIRMED"; reason?: string } | { decision: "OVERRIDDEN"; label: string; reason: string };

export interface RejectedFile {
  fileName: string;
  status: number;
  type: string;
  detail: string;
}

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  rejected?: RejectedFile[];
}

/** GET /v1/images/{id}/cells: the leukocytes segmented in an image, largest first. */
export interface CellList {
  cells: { box: { x: number; y: number; width: number; height: number }; area: number; url: string }[];
}
