/** The ingest API's shapes the workstation reads (see /docs on the API for the full contract). */
import type {
  ImageStatus,
  ReviewDecision,
  SpecimenCall,
  SpecimenStatus,
  StoredSpecimenSummary,
} from "@leukoflow/contracts";

export type { ImageStatus, ReviewDecision, SpecimenCall, SpecimenStatus };
/** A summary as the API gives it: those written before review flags or operating points lack their fields. */
export type SpecimenSummary = StoredSpecimenSummary;

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
  /** The classes the model version counts as malignant. */
  malignantClasses: string[];
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

export type ReviewRequest =
  { decision: "CONFIRMED"; reason?: string } | { decision: "OVERRIDDEN"; label: string; reason: string };

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
