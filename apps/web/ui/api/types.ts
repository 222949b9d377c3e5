/** The ingest API's shapes the workstation reads: generated from ingest's OpenAPI document, and the contracts' names for its statuses. */
import type { MultipartUploadResult, Problem } from "@leukoflow/api-client";

export type { CellList, Problem, ReportImage, Review, Specimen, SpecimenReport } from "@leukoflow/api-client";
/** A file an upload refused, and why: one of a problem's `rejected`. */
export type RejectedFile = MultipartUploadResult["rejected"][number];
/** An upload's problem+json, which lists the files it refused. */
export type UploadProblem = Problem & { rejected?: RejectedFile[] };
export type {
  ImageStatus,
  ReviewDecision,
  SpecimenCall,
  SpecimenStatus,
  StoredSpecimenSummary as SpecimenSummary,
} from "@leukoflow/contracts";
