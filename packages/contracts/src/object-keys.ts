/**
 * Where everything lives in the bucket. A lab's objects are under labs/<lab>/, named by ids and
 * digests LeukoFlow gave (a file name never reaches a key). A client gets a presigned URL only
 * for an upload key; the image key it is copied to once verified is one it never had a URL for,
 * so what it PUTs later cannot reach what is classified.
 */
export const imageObjectKey = (labId: string, imageId: string): string => `labs/${labId}/images/${imageId}`;
export const directUploadObjectKey = (labId: string, uploadId: string): string => `labs/${labId}/uploads/${uploadId}`;

/** The prefixes of a lab's upload objects, as the unowned-upload sweep walks them. */
export const labUploadPrefixes = (labId: string): string[] => [`labs/${labId}/images/`, `labs/${labId}/uploads/`];

/** What preprocessing made of an upload's bytes for one recipe: the model input and the review images beside it. */
export const preprocessedBaseKey = (labId: string, recipeId: string, sha256: string): string =>
  `labs/${labId}/preprocessed/${recipeId}/${sha256}`;

/** Derived from the bytes and the model version, so a replay overwrites the same object. */
export const gradCamKey = (labId: string, sha256: string, modelVersionId: string): string =>
  `labs/${labId}/gradcam/${sha256}-${modelVersionId}.png`;

/** A registered model version's artifact files. */
export const modelArtifactPrefix = (name: string, version: string): string => `models/${name}/${version}/`;
