import { crc32 } from "node:zlib";
import autocannon from "autocannon";
import type { NamedImage } from "./dataset-images.js";
import type { PipelineRun } from "./pipeline-run.js";

export interface IngestLoad {
  connections: number;
  seconds: number;
  meanUploadBytes: number;
  uploadsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

const BOUNDARY = "leukoflow-bench-boundary";

/**
 * Ingest alone under autocannon: `connections` clients each POSTing one ~150 KB PNG per request to
 * a specimen for `seconds`. Every body differs (a counter in a tEXt chunk), so no upload is a
 * duplicate that ingest would short-circuit by its hash.
 */
export async function measureIngestLoad(
  run: PipelineRun,
  pngs: NamedImage[],
  connections: number,
  seconds: number,
): Promise<IngestLoad> {
  const specimenId = await run.session.createSpecimen();
  let sent = 0;
  const result = await autocannon({
    url: `${run.session.baseUrl}/v1/specimens/${specimenId}/images`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const png = pngs[sent % pngs.length]!;
          return {
            ...request,
            headers: { ...run.session.headers, "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
            body: multipartOf(png.name, withCounter(png.bytes, sent++)),
          };
        },
      },
    ],
  });
  return {
    connections,
    seconds: result.duration,
    meanUploadBytes: Math.round(pngs.reduce((sum, png) => sum + png.bytes.length, 0) / pngs.length),
    uploadsPerSecond: result["2xx"] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

function multipartOf(fileName: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="images"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** The PNG with a tEXt chunk holding `counter` after its IHDR, which decoders skip. */
function withCounter(png: Buffer, counter: number): Buffer {
  const afterIhdr = 8 + 8 + 13 + 4; // signature, IHDR length and type, IHDR data, CRC
  const typeAndData = Buffer.from(`tEXtbench\0${counter}`, "latin1");
  const chunk = Buffer.alloc(4 + typeAndData.length + 4);
  chunk.writeUInt32BE(typeAndData.length - 4, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length);
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}
