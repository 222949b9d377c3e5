export { artifactDigest, artifactFileNames, readLocalArtifact, type LocalArtifact } from "./artifact.js";
export { ENSEMBLE_ARCHITECTURE, ensembleDigest, type ResolvedMember } from "./ensemble-definition.js";
export { ArtifactMismatchError, fetchArtifact } from "./fetch-artifact.js";
export { InvalidEnsembleError, publishEnsemble } from "./publish-ensemble.js";
export { publishModel, type PublishOptions } from "./publish-model.js";
export { activateModelVersion, ShadowRequiredError, type ActivationOptions } from "./activation.js";
export { DEFAULT_SHADOW_SAMPLE, ShadowRefusedError, startShadow, stopShadow, type ShadowStarted } from "./shadow.js";
export {
  CHANGE_ACTIONS,
  listChanges,
  recordChange,
  type ChangeAction,
  type ChangeAuthor,
  type ChangeEvent,
  type ChangeRecord,
} from "./change-record.js";
export { findModelVersion, modelRef, parseModelRef, UnknownModelVersionError } from "./model-ref.js";
export { recordDriftBaseline } from "./drift-baseline.js";
