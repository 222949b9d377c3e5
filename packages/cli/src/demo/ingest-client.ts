import { openAsBlob } from "node:fs";
import path from "node:path";

/** The few ingest API calls the demo makes, over plain fetch. */
export class IngestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const response = await fetch(`${this.baseUrl}/health/ready`).catch(() => null);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`ingest at ${this.baseUrl} was not ready within ${timeoutMs / 1000}s`);
  }

  createSpecimen(accession: string): Promise<{ id: string; accession: string }> {
    return this.request("POST", "/v1/specimens", JSON.stringify({ accession }), { "content-type": "application/json" });
  }

  async uploadImages(specimenId: string, files: string[]): Promise<{ accepted: { imageId: string; fileName: string }[] }> {
    const form = new FormData();
    for (const file of files) form.append("images", await openAsBlob(file), path.basename(file));
    return this.request("POST", `/v1/specimens/${specimenId}/images`, form);
  }

  getSpecimen(specimenId: string): Promise<SpecimenReport> {
    return this.request("GET", `/v1/specimens/${specimenId}`);
  }

  private async request<T>(method: string, route: string, body?: RequestInit["body"], headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      body,
      headers: { authorization: `Bearer ${this.apiKey}`, ...headers },
    });
    const payload = (await response.json()) as T & { detail?: string; title?: string };
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${payload.detail ?? payload.title}`);
    return payload;
  }
}

export interface SpecimenReport {
  id: string;
  accession: string;
  status: string;
  summary: {
    classifiedCount: number;
    failedCount: number;
    countsByLabel: Record<string, number>;
    malignantFraction: number;
    dominantSubtype: string | null;
    call: string;
  } | null;
  images: {
    id: string;
    originalName: string | null;
    status: string;
    failureReason: string | null;
    prediction: { label: string; confidence: number; model: string } | null;
  }[];
}
