import { EventSourceParserStream } from "eventsource-parser/stream";
import type { ApiClient } from "./client.js";
import type { SpecimenProgress } from "./types.js";

/**
 * Follows GET /v1/specimens/{id}/events until the stream ends or `signal` aborts. It reads the
 * stream with fetch rather than EventSource so the API key travels in the Authorization header,
 * never in a URL that proxies and access logs would keep.
 */
export async function followSpecimenEvents(
  api: ApiClient,
  specimenId: string,
  onProgress: (progress: SpecimenProgress, completed: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await api.fetch(`/v1/specimens/${specimenId}/events`, {
    signal,
    headers: { accept: "text/event-stream" },
  });
  const reader = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (value.event === "image") continue;
    onProgress(JSON.parse(value.data) as SpecimenProgress, value.event === "completed");
  }
}
