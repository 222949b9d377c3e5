import type { ServerResponse } from "node:http";

const KEEP_ALIVE_MS = 15_000;

/**
 * Server-Sent Events on a hijacked response: `send` writes one event, a comment every 15 s keeps
 * proxies from closing an idle stream, and `ended` resolves once the stream is ended by either side.
 */
export class EventStream {
  readonly ended: Promise<void>;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly raw: ServerResponse) {
    raw.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    this.keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
    this.ended = new Promise((resolve) => raw.once("close", resolve));
    void this.ended.then(() => clearInterval(this.keepAlive));
  }

  get open(): boolean {
    return !this.raw.writableEnded && !this.raw.destroyed;
  }

  send(event: string, data: unknown): void {
    if (this.open) this.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    clearInterval(this.keepAlive);
    this.raw.end();
  }
}
