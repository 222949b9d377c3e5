import { useCallback, useEffect, useState } from "react";
import type { ApiClient } from "../api/client.js";
import { followSpecimenEvents } from "../api/specimen-events.js";
import type { SpecimenProgress, SpecimenReport } from "../api/types.js";

/** A specimen's report, fetched again on every progress event of its event stream while that is open. */
export function useLiveReport(api: ApiClient, specimenId: string) {
  const [report, setReport] = useState<SpecimenReport | null>(null);
  const [progress, setProgress] = useState<SpecimenProgress | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => api.report(specimenId).then(setReport, setError), [api, specimenId]);

  useEffect(() => {
    const controller = new AbortController();
    void reload();
    setLive(true);
    followSpecimenEvents(
      api,
      specimenId,
      (next) => {
        setProgress(next);
        void reload();
      },
      controller.signal,
    )
      .catch((failure: unknown) => controller.signal.aborted || setError(failure))
      .finally(() => controller.signal.aborted || setLive(false));
    return () => controller.abort();
  }, [api, specimenId, reload]);

  return { report, progress, live, error, reload };
}
