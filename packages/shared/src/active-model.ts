/** The task whose outputs are SUBTYPE_LABELS: the pipeline's workers serve its active version. */
export const SUBTYPE_TASK = "all-subtype-4class";
