import type { PrismaClient } from "@leukoflow/shared/prisma";
import { createTestLab } from "../../test/support/labs.js";
import type { NamedImage } from "./dataset-images.js";

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
    /** Uploads in requests of `perRequest` images to a new specimen. */
    async uploadAll(images: NamedImage[], perRequest = 25): Promise<string> {
      const specimenId = await session.createSpecimen();
      for (let start = 0; start < images.length; start += perRequest)
        await session.upload(specimenId, images.slice(start, start + perRequest));
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
