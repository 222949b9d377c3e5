/**
 * Where uploads live in storage, by ids LeukoFlow gave (a file name never reaches a key). A client
 * gets a presigned URL only for an upload key; the image key it is copied to once verified is one
 * it never had a URL for, so what it PUTs later cannot reach what is classified.
 */
export const imageObjectKey = (labId: string, imageId: string): string => `labs/${labId}/images/${imageId}`;
export const directUploadObjectKey = (labId: string, uploadId: string): string => `labs/${labId}/uploads/${uploadId}`;

/** The prefixes of a lab's upload objects, as the unowned-upload sweep walks them. */
export const labUploadPrefixes = (labId: string): string[] => [`labs/${labId}/images/`, `labs/${labId}/uploads/`];
