import { createServer, request, type Server } from "node:http";

const SLOW_DOWN = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>lf-test-proxy</RequestId></Error>`;

/**
 * An HTTP proxy in front of S3-compatible storage that, while failing, answers every request as S3
 * does when it sheds load: 503 SlowDown with S3's XML error body. Otherwise it forwards each request
 * as it came, Host header included, so a V4 signature made for the proxy's address still holds.
 */
export class S3FaultProxy {
  private server: Server | null = null;
  private failing = false;
  /** Requests answered with 503 so far. */
  refused = 0;

  constructor(private readonly target: string) {}

  /** Listens on a free local port and returns the endpoint to give the apps. */
  async start(): Promise<string> {
    const target = new URL(this.target);
    const server = createServer((incoming, outgoing) => {
      if (this.failing) {
        this.refused += 1;
        incoming.resume();
        outgoing.writeHead(503, { "content-type": "application/xml", "retry-after": "1" }).end(SLOW_DOWN);
        return;
      }
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on("error", () => outgoing.destroy());
      incoming.pipe(upstream);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** Every request from now on is answered 503 SlowDown. */
  fail(): void {
    this.failing = true;
  }

  heal(): void {
    this.failing = false;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
