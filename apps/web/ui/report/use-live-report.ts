import type { IngestApiClient, SpecimenReport } from "@leukoflow/api-client";
import type { SpecimenProgress } from "@leukoflow/contracts";
import { useEffect, useMemo, useState } from "react";
import { newestOnly } from "./newest-only.js";

/**
 * A specimen's report, read again on every progress event of its event stream while that is open:
 * the stream sends one whenever an image's status changes.
 */
export function useLiveReport(api: IngestApiClient, specimenId: string) {
  const [report, setReport] = useState<SpecimenReport | null>(null);
  const [progress, setProgress] = useState<SpecimenProgress | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reload = useMemo(() => {
    const readReport = newestOnly(() => api.report(specimenId), setReport);
    return () => readReport().catch(setError);
  }, [api, specimenId]);

  useEffect(() => {
    const controller = new AbortController();
    void reload();
    setLive(true);
    api
      .followSpecimen(
        specimenId,
        {
          onProgress: (next) => {
            setProgress(next);
            void reload();
          },
        },
        controller.signal,
      )
      .catch((failure: unknown) => controller.signal.aborted || setError(failure))
      .finally(() => controller.signal.aborted || setLive(false));
    return () => controller.abort();
  }, [api, specimenId, reload]);

  return { report, progress, live, error, reload };
}
