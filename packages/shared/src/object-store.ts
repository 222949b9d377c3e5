import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { SignedObjectRequests } from "./signed-object-requests.js";

export interface ObjectStoreConfig {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
}

export interface StoredObjectInfo {
  size: number;
  contentType: string | undefined;
}

/** S3's smallest multipart part, which is also how much of a stream is read before choosing one request or parts. */
const MULTIPART_PART_BYTES = 5 * 1024 * 1024;

/** The first `limit` bytes of a stream (or all of it, `ended`), and the whole stream again from its start. */
async function readUpTo(
  stream: Readable,
  limit: number,
): Promise<{ chunks: Buffer[]; ended: boolean; rest: () => AsyncGenerator<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  while (bytes <= limit) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    bytes += next.value.length;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* chunks;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { chunks, ended, rest };
}

/** The AWS SDK's client for a store, as ObjectStore configures it. */
export function createS3Client(config: ObjectStoreConfig): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Default checksums rewrite streamed bodies into aws-chunked framing, which S3-compatible
    // servers such as s3rver store verbatim: only compute them when an operation demands it.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/**
 * S3-compatible object storage (MinIO, s3rver, AWS) holding uploads and derived images. Whole
 * buffers are read and written by signed requests of its own; the rest goes through the AWS SDK.
 */
export class ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly requests: SignedObjectRequests;

  constructor(config: ObjectStoreConfig) {
    this.bucket = config.bucket;
    this.requests = new SignedObjectRequests(config);
    this.client = createS3Client(config);
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!(error instanceof NotFound) && (error as { name?: string }).name !== "NotFound") throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  /**
   * Writes an object: a buffer, or a stream that ends within one multipart part, in one request;
   * a longer stream in parts, never held in memory whole.
   */
  async put(key: string, body: Buffer | Readable, contentType: string): Promise<void> {
    if (Buffer.isBuffer(body)) return this.requests.put(key, body, contentType);
    const start = await readUpTo(body, MULTIPART_PART_BYTES);
    if (start.ended) return this.requests.put(key, Buffer.concat(start.chunks), contentType);
    const upload = new Upload({
      client: this.client,
      partSize: MULTIPART_PART_BYTES,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(start.rest()), ContentType: contentType },
    });
    await upload.done();
  }

  /** Copies an object within the bucket; the copy is of one consistent version of the source. */
  async copy(sourceKey: string, destinationKey: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: destinationKey,
        CopySource: `${this.bucket}/${encodeURI(sourceKey)}`,
      }),
    );
  }

  get(key: string): Promise<Buffer> {
    return this.requests.get(key);
  }

  /** Streams an object without holding it in memory. */
  async openRead(key: string): Promise<Readable> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!response.Body) throw new Error(`Object ${key} has no body`);
    return response.Body as Readable;
  }

  /** A URL a client can PUT exactly `contentLength` bytes to, without credentials, until it expires. */
  presignPut(key: string, contentLength: number, expiresInSeconds: number): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: contentLength });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  /** Size and type of an object, or null when it does not exist. */
  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: response.ContentLength ?? 0, contentType: response.ContentType };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey || (error as { name?: string }).name === "NotFound") {
        return null;
      }
      throw error;
    }
  }

  /** Objects under a prefix, one listing page (up to 1,000) at a time. */
  async *listPages(prefix: string): AsyncGenerator<ListedObject[]> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: continuationToken }),
      );
      // S3 always sends LastModified; were it missing, the object counts as new rather than old.
      yield (page.Contents ?? []).flatMap((object) =>
        object.Key ? [{ key: object.Key, lastModified: object.LastModified ?? new Date() }] : [],
      );
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  /** Keys under a prefix, all pages. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of this.listPages(prefix)) keys.push(...page.map((object) => object.key));
    return keys;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  destroy(): void {
    this.client.destroy();
    this.requests.destroy();
  }
}

export function objectStoreFromEnv(env: {
  S3_ENDPOINT: string;
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}): ObjectStore {
  return new ObjectStore({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  });
}
