import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { sniffImageFormat, type ImageFormat } from "@leukoflow/shared";

/** Enough leading bytes for the format and, in all but odd files, the header with the dimensions. */
export const HEAD_BYTES = 64 * 1024;

export interface SniffedUpload {
  format: ImageFormat | null;
  /** The first HEAD_BYTES bytes (fewer when the upload is shorter). */
  head: Buffer;
  /** The whole upload, replayed from its first byte; hashes and counts as it is read. */
  body: Readable;
  /** Valid once `body` has been read to its end. */
  digest(): { sha256: string; byteSize: number };
  /** Reads and discards the rest, for uploads refused after sniffing. */
  discard(): Promise<void>;
}

/** Reads just enough of a stream to identify the image and read its header, without buffering the rest. */
export async function sniffUpload(source: Readable): Promise<SniffedUpload> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let exhausted = false;
  while (head.length < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head = Buffer.concat([head, next.value]);
  }
  const hash = createHash("sha256");
  let byteSize = 0;
  async function* replay(): AsyncGenerator<Buffer> {
    const take = (chunk: Buffer) => {
      hash.update(chunk);
      byteSize += chunk.length;
      return chunk;
    };
    if (head.length > 0) yield take(head);
    if (exhausted) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield take(next.value);
  }
  return {
    format: sniffImageFormat(head),
    head,
    body: Readable.from(replay(), { objectMode: false }),
    digest: () => ({ sha256: hash.digest("hex"), byteSize }),
    discard: async () => {
      if (exhausted) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next());
    },
  };
}
