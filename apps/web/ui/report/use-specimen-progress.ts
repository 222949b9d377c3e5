import { useEffect, useState } from "react";
import type { ApiClient } from "../api/client.js";
import { followSpecimenEvents } from "../api/specimen-events.js";
import type { SpecimenProgress } from "../api/types.js";

/** The latest progress event of a specimen, followed while `enabled`. */
export function useSpecimenProgress(api: ApiClient, specimenId: string, enabled: boolean): SpecimenProgress | null {
  const [progress, setProgress] = useState<SpecimenProgress | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    // A row whose stream fails still shows the status it was listed with.
    followSpecimenEvents(api, specimenId, setProgress, controller.signal).catch(() => undefined);
    return () => controller.abort();
  }, [api, specimenId, enabled]);
  return progress;
}
