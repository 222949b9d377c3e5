import type { IngestApiClient } from "@leukoflow/api-client";
import type { SpecimenProgress } from "@leukoflow/contracts";
import { useEffect, useRef, useState } from "react";

/**
 * The latest progress of each of the lab's specimens that changed since the page opened, from the
 * lab's one event stream (so every row follows, over one connection). `read` runs once the stream
 * follows the lab, and again whenever it may have missed something: the list read then is current.
 * Should the stream fail, `read` runs anyway, and the rows show what it read.
 */
export function useLabProgress(api: IngestApiClient, read: () => void): ReadonlyMap<string, SpecimenProgress> {
  const [progress, setProgress] = useState<ReadonlyMap<string, SpecimenProgress>>(new Map());
  const readList = useRef(read);
  readList.current = read;
  useEffect(() => {
    const controller = new AbortController();
    api
      .followLab(
        {
          onReady: () => readList.current(),
          onProgress: ({ specimenId, ...next }) => setProgress((current) => new Map(current).set(specimenId, next)),
        },
        controller.signal,
      )
      .catch(() => controller.signal.aborted || readList.current());
    return () => controller.abort();
  }, [api]);
  return progress;
}
