/**
 * The object-store client's own CPU per request, which every image pays four times (upload PUT and
 * GET, model-input PUT and GET): ObjectStore's signed requests against the AWS SDK's PutObject and
 * GetObject commands, on the same s3rver (in a process of its own), over the same 4 concurrent
 * request streams of real smears and model-input-sized objects, in alternating rounds. The figures
 * behind SignedObjectRequests (docs/benchmarks.md).
 *
 *   npx tsx bench/object-store-client.ts [--images 100] [--rounds 3]   → bench/results/object-store-client.json
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client, ObjectStore } from "@leukoflow/shared";
import { startS3ServerChild } from "@leukoflow/stack";
import { ariaImages } from "./pipeline/dataset-images.js";
import { processCpuSeconds } from "./pipeline/process-cpu.js";

const { values } = parseArgs({
  options: { images: { type: "string", default: "100" }, rounds: { type: "string", default: "3" } },
});
const BUCKET = "client-bench";
const STREAMS = 4;
const MODEL_INPUT = Buffer.alloc(112 * 112 * 3 + 16, 7);

interface Client {
  put(key: string, body: Buffer, contentType: string): Promise<unknown>;
  get(key: string): Promise<Buffer>;
}

const directory = mkdtempSync(path.join(tmpdir(), "leukoflow-client-bench-"));
const server = await startS3ServerChild({ directory });
const config = { ...server, region: "us-east-1", bucket: BUCKET };
const store = new ObjectStore(config);
const sdk = createS3Client(config);
const sdkClient: Client = {
  put: (key, body, contentType) =>
    sdk.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType })),
  get: async (key) => {
    const { Body } = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await Body!.transformToByteArray());
  },
};

interface RequestCost {
  clientCpuMs: number;
  storeCpuMs: number;
}

/** CPU ms per request, in this process and in s3rver's: each image's upload and a model input, written then read back. */
async function measure(name: string, client: Client, smears: Buffer[]): Promise<RequestCost> {
  let requests = 0;
  const [cpu, storeCpu] = [process.cpuUsage(), processCpuSeconds(server.pid)];
  await Promise.all(
    Array.from({ length: STREAMS }, async (_, stream) => {
      for (let index = stream; index < smears.length; index += STREAMS) {
        for (const [key, body] of [
          [`${name}/upload/${index}`, smears[index]!],
          [`${name}/input/${index}`, MODEL_INPUT],
        ] as const) {
          await client.put(key, body, "application/octet-stream");
          if (!(await client.get(key)).equals(body)) throw new Error(`${name}: ${key} came back different`);
          requests += 2;
        }
      }
    }),
  );
  const { user, system } = process.cpuUsage(cpu);
  return {
    clientCpuMs: (user + system) / 1000 / requests,
    storeCpuMs: ((processCpuSeconds(server.pid) - storeCpu) * 1000) / requests,
  };
}

try {
  await store.ensureBucket();
  const smears = ariaImages(Number(values.images)).map((image) => image.bytes);
  await measure("warm-sdk", sdkClient, smears);
  await measure("warm-store", store, smears);
  const rounds: { sdk: RequestCost; signed: RequestCost }[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    rounds.push({ sdk: await measure("sdk", sdkClient, smears), signed: await measure("signed", store, smears) });
    console.error(JSON.stringify(rounds.at(-1)));
  }
  const mean = (pick: (round: (typeof rounds)[number]) => number) =>
    rounds.reduce((sum, round) => sum + pick(round), 0) / rounds.length;
  const result = {
    measuredAt: new Date().toISOString(),
    images: smears.length,
    streams: STREAMS,
    rounds,
    sdk: { clientCpuMs: mean((round) => round.sdk.clientCpuMs), storeCpuMs: mean((round) => round.sdk.storeCpuMs) },
    signed: {
      clientCpuMs: mean((round) => round.signed.clientCpuMs),
      storeCpuMs: mean((round) => round.signed.storeCpuMs),
    },
    clientSdkOverSigned: mean((round) => round.sdk.clientCpuMs / round.signed.clientCpuMs),
  };
  mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
  writeFileSync(
    path.join(import.meta.dirname, "results", "object-store-client.json"),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result));
} finally {
  sdk.destroy();
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
}
