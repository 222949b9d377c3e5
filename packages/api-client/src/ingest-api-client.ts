import { openAsBlob } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  AcceptedImage,
  DirectUploadTicket,
  MultipartUploadResult,
  Specimen,
  SpecimenProgress,
  SpecimenReport,
} from "@leukoflow/contracts";
import { EventSourceParserStream } from "eventsource-parser/stream";

/** A problem+json answer of the ingest API. */
export class IngestApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "IngestApiError";
  }
}

const BACKLOG_RETRIES = 20;

/**
 * The ingest API over fetch, for tools that feed it. Calls refused with 503 (the pipeline is
 * backlogged) are retried after the Retry-After the server asks for.
 */
export class IngestApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

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

  async findSpecimen(accession: string): Promise<Specimen | null> {
    const page = await this.request<{ items: Specimen[] }>(
      "GET",
      `/v1/specimens?accession=${encodeURIComponent(accession)}`,
    );
    return page.items[0] ?? null;
  }

  /** The lab's specimen with this accession, registered now if it is new. */
  async ensureSpecimen(accession: string): Promise<Specimen> {
    const existing = await this.findSpecimen(accession);
    if (existing) return existing;
    try {
      return await this.request<Specimen>(
        "POST",
        "/v1/specimens",
        { accession },
        { "idempotency-key": `specimen:${accession}` },
      );
    } catch (error) {
      const raced = error instanceof IngestApiError && error.status === 409 ? await this.findSpecimen(accession) : null;
      if (raced) return raced;
      throw error;
    }
  }

  /** Uploads files through the API in one multipart request. */
  async uploadImages(specimenId: string, filePaths: string[]): Promise<MultipartUploadResult> {
    const form = new FormData();
    for (const filePath of filePaths) form.append("images", await openAsBlob(filePath), path.basename(filePath));
    return this.request<MultipartUploadResult>("POST", `/v1/specimens/${specimenId}/images`, form);
  }

  async requestUploads(
    specimenId: string,
    files: { fileName: string; byteSize: number; sha256: string }[],
  ): Promise<DirectUploadTicket[]> {
    const { uploads } = await this.request<{ uploads: DirectUploadTicket[] }>(
      "POST",
      `/v1/specimens/${specimenId}/uploads`,
      { files },
    );
    return uploads;
  }

  /** PUTs a file to its presigned URL, streamed from disk. */
  async putFile(url: string, filePath: string): Promise<void> {
    const response = await fetch(url, { method: "PUT", body: await openAsBlob(filePath) });
    if (!response.ok)
      throw new IngestApiError(response.status, "storage-put-failed", `storage refused the upload: ${response.status}`);
  }

  completeUpload(uploadId: string): Promise<AcceptedImage> {
    return this.request<AcceptedImage>("POST", `/v1/uploads/${uploadId}/complete`);
  }

  report(specimenId: string): Promise<SpecimenReport> {
    return this.request<SpecimenReport>("GET", `/v1/specimens/${specimenId}`);
  }

  /** Follows the specimen's Server-Sent Events until it completes; resolves with its last progress. */
  async followProgress(
    specimenId: string,
    onProgress: (progress: SpecimenProgress) => void,
    signal?: AbortSignal,
  ): Promise<SpecimenProgress> {
    const response = await fetch(`${this.baseUrl}/v1/specimens/${specimenId}/events`, {
      headers: this.headers(),
      signal: signal ?? null,
    });
    if (!response.ok || !response.body) throw await this.problemOf(response, "GET", "events");
    const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    for await (const event of events) {
      if (event.event === "image") continue;
      const progress = JSON.parse(event.data) as SpecimenProgress;
      onProgress(progress);
      if (event.event === "completed") return progress;
    }
    throw new Error(`progress stream of specimen ${specimenId} ended before it completed`);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, ...extra };
  }

  /** JSON unless the body is a form (multipart, its boundary set by fetch). */
  private async request<T>(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const json = body !== undefined && !(body instanceof FormData);
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${route}`, {
        method,
        headers: this.headers(json ? { "content-type": "application/json", ...headers } : headers),
        body: body === undefined ? null : json ? JSON.stringify(body) : body,
      });
      if (response.ok) return (await response.json()) as T;
      if (response.status === 503 && attempt < BACKLOG_RETRIES) {
        await response.body?.cancel();
        await sleep(Number(response.headers.get("retry-after") ?? 5) * 1000);
        continue;
      }
      throw await this.problemOf(response, method, route);
    }
  }

  private async problemOf(response: Response, method: string, route: string): Promise<IngestApiError> {
    const problem = (await response.json().catch(() => ({}))) as { type?: string; title?: string; detail?: string };
    const type = problem.type?.split("/").at(-1) ?? "unknown";
    return new IngestApiError(
      response.status,
      type,
      `${method} ${route} → ${response.status} ${problem.detail ?? problem.title ?? ""}`.trim(),
    );
  }
}
