import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sigV4Problem } from "./sigv4-check.js";

const s3Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>${code}</Code><Message>${message}</Message><RequestId>lf-test-proxy</RequestId></Error>`;

export interface S3FaultProxyOptions {
  /** Check each request's V4 signature with this secret first, answering 403 as S3 does when it fails. */
  checkSignaturesWith?: string;
}

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
  /** Requests passed on to storage so far. */
  forwarded = 0;
  /** Requests whose signature did not hold, with S3's error code. */
  readonly rejected: string[] = [];

  constructor(
    private readonly target: string,
    private readonly options: S3FaultProxyOptions = {},
  ) {}

  /** Listens on a free local port and returns the endpoint to give the apps. */
  async start(): Promise<string> {
    const server = createServer((incoming, outgoing) => {
      if (this.failing) {
        this.refused += 1;
        incoming.resume();
        outgoing
          .writeHead(503, { "content-type": "application/xml", "retry-after": "1" })
          .end(s3Error("SlowDown", "Please reduce your request rate."));
        return;
      }
      const secret = this.options.checkSignaturesWith;
      if (secret === undefined) return this.forward(incoming, outgoing, incoming);
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const body = Buffer.concat(chunks);
        const problem = sigV4Problem(
          { method: incoming.method!, url: incoming.url!, headers: incoming.headers, body },
          secret,
        );
        if (problem === null) return this.forward(incoming, outgoing, body);
        this.rejected.push(problem);
        outgoing
          .writeHead(403, { "content-type": "application/xml" })
          .end(s3Error(problem, "The request's V4 signature does not hold."));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse, body: IncomingMessage | Buffer): void {
    const target = new URL(this.target);
    this.forwarded += 1;
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
    if (Buffer.isBuffer(body)) upstream.end(body);
    else body.pipe(upstream);
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
