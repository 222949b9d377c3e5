export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Incremental parser of a text/event-stream: feed it chunks as they arrive, get back the events
 * they complete. Comments (keep-alives) and fields other than `event` and `data` are ignored.
 */
export class SseParser {
  private buffer = "";

  feed(chunk: string): ServerSentEvent[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const blocks = this.buffer.split("\n\n");
    this.buffer = blocks.pop() ?? "";
    return blocks.flatMap((block) => {
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        if (colon === 0) continue;
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        if (field === "data") data.push(value);
      }
      return data.length > 0 ? [{ event, data: data.join("\n") }] : [];
    });
  }
}
