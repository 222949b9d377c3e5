import { isMalignantClass } from "@leukoflow/contracts";
import type { ImageStatus, SpecimenCall, SpecimenStatus } from "../api/types.js";

/** How a label reads on screen; every visual cue (colour, icon) also comes with this text. */
export interface Presentation {
  text: string;
  icon: string;
  tone: "ok" | "alert" | "warn" | "busy" | "neutral";
}

const CLASS_NAMES: Record<string, string> = {
  benign: "Benign",
  early_pre_b: "Early pre-B",
  pre_b: "Pre-B",
  pro_b: "Pro-B",
};

export function className(label: string): string {
  return CLASS_NAMES[label] ?? label;
}

/** A label as the model version that gave it reads it: malignant when among its malignant classes. */
export function classPresentation(label: string, malignantClasses: readonly string[]): Presentation {
  return isMalignantClass(label, malignantClasses)
    ? { text: `${className(label)} (malignant)`, icon: "▲", tone: "alert" }
    : { text: className(label), icon: "●", tone: "ok" };
}

export const CALLS: Record<SpecimenCall, Presentation> = {
  all_suspected: { text: "ALL suspected", icon: "▲", tone: "alert" },
  benign: { text: "Benign", icon: "●", tone: "ok" },
  indeterminate: { text: "Indeterminate", icon: "◆", tone: "warn" },
};

export const SPECIMEN_STATUSES: Record<SpecimenStatus, Presentation> = {
  RECEIVED: { text: "Received", icon: "○", tone: "neutral" },
  PROCESSING: { text: "Processing", icon: "◐", tone: "busy" },
  COMPLETED: { text: "Completed", icon: "✓", tone: "ok" },
  FAILED: { text: "Failed", icon: "✕", tone: "alert" },
};

export const IMAGE_STATUSES: Record<ImageStatus, Presentation> = {
  RECEIVED: { text: "Waiting", icon: "○", tone: "neutral" },
  PREPROCESSED: { text: "Classifying", icon: "◐", tone: "busy" },
  CLASSIFIED: { text: "Classified", icon: "✓", tone: "ok" },
  FAILED: { text: "Failed", icon: "✕", tone: "alert" },
};

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
