import { openAsBlob } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { AcceptedImage, DirectUploadTicket } from "../schemas/images.js";
import type { Specimen, SpecimenReport } from "../schemas/specimens.js";
import type { SpecimenProgress } from "../services/specimen-progress.js";

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

  async findSpecimen(accession: string): Promise<Specimen | null> {
    const page = await this.request<{ items: Specimen[] }>("GET", `/v1/specimens?accession=${encodeURIComponent(accession)}`);
    return page.items[0] ?? null;
  }

  /** The lab's specimen with this accession, registered now if it is new. */
  async ensureSpecimen(accession: string): Promise<Specimen> {
    const existing = await this.findSpecimen(accession);
    if (existing) return existing;
    try {
      return await this.request<Specimen>("POST", "/v1/specimens", { accession }, { "idempotency-key": `specimen:${accession}` });
    } catch (error) {
      const raced = error instanceof IngestApiError && error.status === 409 ? await this.findSpecimen(accession) : null;
      if (raced) return raced;
      throw error;
    }
  }

  async requestUploads(specimenId: string, files: { fileName: string; byteSize: number; sha256: string }[]): Promise<DirectUploadTicket[]> {
    const { uploads } = await this.request<{ uploads: DirectUploadTicket[] }>("POST", `/v1/specimens/${specimenId}/uploads`, { files });
    return uploads;
  }

  /** PUTs a file to its presigned URL, streamed from disk. */
  async putFile(url: string, filePath: string): Promise<void> {
    const response = await fetch(url, { method: "PUT", body: await openAsBlob(filePath) });
    if (!response.ok) throw new IngestApiError(response.status, "storage-put-failed", `storage refused the upload: ${response.status}`);
  }

  completeUpload(uploadId: string): Promise<AcceptedImage> {
    return this.request<AcceptedImage>("POST", `/v1/uploads/${uploadId}/complete`);
  }

  report(specimenId: string): Promise<SpecimenReport> {
    return this.request<SpecimenReport>("GET", `/v1/specimens/${specimenId}`);
  }

  /** Follows the specimen's Server-Sent Events until it completes; resolves with its last progress. */
  async followProgress(specimenId: string, onProgress: (progress: SpecimenProgress) => void, signal?: AbortSignal): Promise<SpecimenProgress> {
    const response = await fetch(`${this.baseUrl}/v1/specimens/${specimenId}/events`, { headers: this.headers(), signal: signal ?? null });
    if (!response.ok || !response.body) throw await this.problemOf(response, "GET", "events");
    let buffered = "";
    let last: SpecimenProgress | undefined;
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = block.split("\n").find((line) => line.startsWith("data: "));
        if (!data) continue;
        last = JSON.parse(data.slice("data: ".length)) as SpecimenProgress;
        onProgress(last);
        if (block.startsWith("event: completed")) return last;
      }
    }
    throw new Error(`progress stream of specimen ${specimenId} ended before it completed`);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, ...extra };
  }

  private async request<T>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${route}`, {
        method,
        headers: this.headers(body === undefined ? headers : { "content-type": "application/json", ...headers }),
        body: body === undefined ? null : JSON.stringify(body),
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
    return new IngestApiError(response.status, type, `${method} ${route} → ${response.status} ${problem.detail ?? problem.title ?? ""}`.trim());
  }
}
