import type { PrismaClient } from "@leukoflow/shared/prisma";
import { createTestLab } from "../../test/support/labs.js";
import type { NamedImage } from "./dataset-images.js";
import { runInParallel } from "./run-in-parallel.js";

/** Concurrent upload requests, as the ingest load step's connections. */
const UPLOAD_LANES = 8;

/** A lab's API key on a running ingest: creates specimens and uploads images over the /v1 API. */
export async function openIngestSession(prisma: PrismaClient, baseUrl: string) {
  const { key } = await createTestLab(prisma, `bench-${Date.now()}`);
  const headers = { authorization: `Bearer ${key}` };
  let specimens = 0;
  const session = {
    baseUrl,
    headers,
    async createSpecimen(): Promise<string> {
      const response = await fetch(`${baseUrl}/v1/specimens`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ accession: `BENCH-${Date.now()}-${++specimens}` }),
      });
      if (!response.ok) throw new Error(`create specimen: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
    async upload(specimenId: string, images: NamedImage[]): Promise<void> {
      const form = new FormData();
      for (const image of images) form.append("images", new Blob([image.bytes]), image.name);
      const response = await fetch(`${baseUrl}/v1/specimens/${specimenId}/images`, {
        method: "POST",
        headers,
        body: form,
      });
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
    },
    /**
     * Uploads to a new specimen in requests of `perRequest` images, `lanes` requests at a time (as a
     * lab's uploader with several connections does), so the pipeline, not one connection, sets the pace.
     */
    async uploadAll(images: NamedImage[], perRequest = 10, lanes = UPLOAD_LANES): Promise<string> {
      const specimenId = await session.createSpecimen();
      const requests = Array.from({ length: Math.ceil(images.length / perRequest) }, (_, i) =>
        images.slice(i * perRequest, (i + 1) * perRequest),
      );
      await runInParallel(requests, lanes, (batch) => session.upload(specimenId, batch));
      return specimenId;
    },
    async waitUntilReady(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          if ((await fetch(`${baseUrl}/health/ready`)).ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`ingest not ready at ${baseUrl}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
  return session;
}
export type IngestSession = Awaited<ReturnType<typeof openIngestSession>>;
