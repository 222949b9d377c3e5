/** The rows and enums the database holds, as the repositories return them (src/repositories). */
export { ApiKeyScope, ImageStatus, ReviewDecision, SpecimenStatus } from "./generated/prisma/enums.js";
export type {
  ApiKey,
  AuditEvent,
  DirectUpload,
  IdempotencyKey,
  Image,
  Lab,
  ModelVersion,
  Prediction,
  Review,
  ShadowPrediction,
  Specimen,
} from "./generated/prisma/client.js";
