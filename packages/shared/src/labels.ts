/** Output classes of the 4-class subtype task, in the order the shipped models emit them. */
export const SUBTYPE_LABELS = ["benign", "early_pre_b", "pre_b", "pro_b"] as const;
export type SubtypeLabel = (typeof SUBTYPE_LABELS)[number];

/** The three ALL subtypes; benign cells are hematogones. */
export const MALIGNANT_LABELS: ReadonlySet<string> = new Set(["early_pre_b", "pre_b", "pro_b"]);

export function isMalignant(label: string): boolean {
  return MALIGNANT_LABELS.has(label);
}
