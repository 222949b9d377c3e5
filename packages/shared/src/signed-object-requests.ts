import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ObjectStoreConfig } from "./object-store.js";

/**
 * Object storage answered a request with an error status. `$metadata` has the shape of the AWS
 * SDK's service errors, so the checks that read an HTTP status from storage errors read both.
 */
export class ObjectStoreRequestError extends Error {
  override readonly name = "ObjectStoreRequestError";
  readonly $metadata: { httpStatusCode: number };

  constructor(
    readonly method: string,
    readonly key: string,
    status: number,
    /** S3's error code (NoSuchKey, SlowDown, ...), when the body had one. */
    readonly code: string | undefined,
  ) {
    super(`object storage answered ${method} ${key} with HTTP ${status}${code ? ` ${code}` : ""}`);
    this.$metadata = { httpStatusCode: status };
  }
}

/** As the SDK's standard retry mode: three attempts, exponential backoff from 100 ms with jitter. */
const ATTEMPTS = 3;
const RETRY_BASE_MS = 100;
/** A socket silent this long is given up on (and the request retried). */
const SOCKET_TIMEOUT_MS = 60_000;
/** A peer that reset or dropped a kept-alive socket, or timed out: the same request can succeed. */
const RETRYABLE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNREFUSED"]);

function isRetryable(error: unknown): boolean {
  if (error instanceof ObjectStoreRequestError) {
    const status = error.$metadata.httpStatusCode;
    return status >= 500 || status === 429;
  }
  return RETRYABLE_CODES.has((error as { code?: string }).code ?? "");
}

/** A key in a path-style URL: each segment percent-encoded as S3's canonical URI wants it. */
function encodeKey(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");
}

/**
 * Whole-object GET and PUT of a buffer, each one SigV4-signed HTTP request (signed by the SDK's
 * own SignatureV4) on a keep-alive agent. These are the requests every image makes; the SDK's
 * command stack around the same request costs about three times the CPU
 * (bench/object-store-client.ts). Everything else ObjectStore does goes through the SDK.
 */
export class SignedObjectRequests {
  private readonly endpoint: URL;
  private readonly bucketPath: string;
  private readonly signer: SignatureV4;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(config: ObjectStoreConfig) {
    this.endpoint = new URL(config.endpoint);
    this.bucketPath = `${this.endpoint.pathname.replace(/\/$/, "")}/${encodeKey(config.bucket)}`;
    this.signer = new SignatureV4({
      service: "s3",
      region: config.region,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: false,
    });
    this.transport = this.endpoint.protocol === "https:" ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true });
  }

  get(key: string): Promise<Buffer> {
    return this.withRetries(() => this.send("GET", key));
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.withRetries(() => this.send("PUT", key, { body, contentType }));
  }

  destroy(): void {
    this.agent.destroy();
  }

  private async withRetries(request: () => Promise<Buffer>): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
        await sleep(RETRY_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }

  private async send(
    method: "GET" | "PUT",
    key: string,
    content?: { body: Buffer; contentType: string },
  ): Promise<Buffer> {
    const path = `${this.bucketPath}/${encodeKey(key)}`;
    const signed = await this.signer.sign({
      method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      path,
      query: {},
      headers: {
        host: this.endpoint.host,
        ...(content && { "content-type": content.contentType, "content-length": String(content.body.length) }),
      },
      body: content?.body,
    });
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          agent: this.agent,
          method,
          hostname: this.endpoint.hostname.replace(/^\[|\]$/g, ""),
          port: this.endpoint.port,
          path,
          headers: signed.headers,
          timeout: SOCKET_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(bytes);
            else
              reject(
                new ObjectStoreRequestError(
                  method,
                  key,
                  status,
                  /<Code>([^<]+)<\/Code>/.exec(bytes.toString("utf8"))?.[1],
                ),
              );
          });
        },
      );
      request.on("timeout", () =>
        request.destroy(
          Object.assign(new Error(`object storage sent nothing for ${SOCKET_TIMEOUT_MS} ms`), { code: "ETIMEDOUT" }),
        ),
      );
      request.on("error", reject);
      request.end(content?.body);
    });
  }
}
