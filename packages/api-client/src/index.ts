export {
  IngestApiClient,
  IngestApiError,
  type AcceptedImage,
  type CellList,
  type DirectUploadTicket,
  type ListSpecimensQuery,
  type MultipartUploadResult,
  type Problem,
  type ReportImage,
  type Review,
  type ReviewQueue,
  type ReviewRequest,
  type Specimen,
  type SpecimenPage,
  type SpecimenReport,
} from "./client.js";
export type { components as IngestComponents, paths as IngestPaths } from "./generated/ingest-api.js";
