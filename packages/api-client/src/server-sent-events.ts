import { EventSourceParserStream } from "eventsource-parser/stream";

/**
 * Reads a Server-Sent Events response (fetch, not EventSource, so the API key travels in the
 * Authorization header rather than in a URL that proxies and access logs keep) and hands each
 * event's name and parsed data to `handle` until it returns a result, or the stream ends (null).
 */
export async function followEvents<T>(
  response: Promise<Response>,
  handle: (event: string, data: unknown) => T | undefined,
): Promise<T | null> {
  const reader = (await response)
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return null;
      const result = handle(value.event ?? "message", JSON.parse(value.data));
      if (result !== undefined) return result;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
