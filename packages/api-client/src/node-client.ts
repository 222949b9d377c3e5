import { openAsBlob } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { IngestApiClient, IngestApiError, type MultipartUploadResult } from "./client.js";

/** The ingest API for tools on Node (the CLI, the demo): what the browser's client does, plus files from disk. */
export class NodeIngestApiClient extends IngestApiClient {
  /** Resolves once /health/ready answers 200. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const response = await fetch(`${this.baseUrl}/health/ready`).catch(() => null);
      await response?.body?.cancel();
      if (response?.ok) return;
      await sleep(250);
    }
    throw new Error(`ingest at ${this.baseUrl} was not ready within ${timeoutMs / 1000}s`);
  }

  /** Uploads files through the API in one multipart request, streamed from disk. */
  async uploadImages(specimenId: string, filePaths: string[]): Promise<MultipartUploadResult> {
    const form = new FormData();
    for (const filePath of filePaths) form.append("images", await openAsBlob(filePath), path.basename(filePath));
    return this.call("upload images", () =>
      this.api.POST("/v1/specimens/{specimenId}/images", {
        params: { path: { specimenId } },
        // The route streams its multipart parts, so the document declares no body for it.
        body: form as never,
        bodySerializer: () => form,
      }),
    );
  }

  /** PUTs a file to its presigned URL, streamed from disk. */
  async putFile(url: string, filePath: string): Promise<void> {
    const response = await fetch(url, { method: "PUT", body: await openAsBlob(filePath) });
    await response.body?.cancel();
    if (!response.ok)
      throw new IngestApiError(response.status, {
        type: "storage-put-failed",
        title: `storage refused the upload: ${response.status}`,
        status: response.status,
        instance: url,
      });
  }
}
