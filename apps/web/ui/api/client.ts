import type { ReviewQueue } from "@leukoflow/contracts";
import type {
  CellList,
  Problem,
  Review,
  ReviewRequest,
  Specimen,
  SpecimenPage,
  SpecimenReport,
  SpecimenStatus,
} from "./types.js";

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** Reads the problem+json body of a failed response, or makes one up when there is none. */
export async function problemOf(response: Response): Promise<Problem> {
  const body = (await response.json().catch(() => null)) as Problem | null;
  return body?.title
    ? body
    : { type: "about:blank", title: response.statusText || "Request failed", status: response.status };
}

/** How often a picture made on first request is asked for before giving up (about a minute at Retry-After: 1). */
const MADE_ON_REQUEST_ATTEMPTS = 60;

/** The ingest API on this page's origin, called with the lab's API key. */
export class ApiClient {
  constructor(readonly apiKey: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.apiKey}`);
    const response = await fetch(path, { ...init, headers });
    if (!response.ok) throw new ApiError(await problemOf(response));
    return response;
  }

  private async json<T>(path: string, method = "GET", body?: unknown): Promise<T> {
    const init: RequestInit =
      body === undefined
        ? { method }
        : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
    return (await (await this.fetch(path, init)).json()) as T;
  }

  listSpecimens(query: {
    accession?: string;
    status?: SpecimenStatus | "";
    cursor?: string | null;
    limit?: number;
  }): Promise<SpecimenPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, String(value));
    return this.json(`/v1/specimens?${params}`);
  }

  createSpecimen(body: { accession: string; patientRef?: string }): Promise<Specimen> {
    return this.json("/v1/specimens", "POST", body);
  }

  report(specimenId: string): Promise<SpecimenReport> {
    return this.json(`/v1/specimens/${specimenId}`);
  }

  /** Unreviewed images, what teaches the next model most first. */
  reviewQueue(): Promise<ReviewQueue> {
    return this.json("/v1/review-queue");
  }

  review(imageId: string, body: ReviewRequest): Promise<Review> {
    return this.json(`/v1/images/${imageId}/review`, "POST", body);
  }

  /** An image's picture; one made on first request answers 202 until stored, so it is asked for again after Retry-After. */
  async blob(path: string): Promise<Blob> {
    return (await this.whenMade(path)).blob();
  }

  /** The segmented leukocytes of an image, each with its crop's URL (made on first request, as blob's pictures are). */
  async cells(imageId: string): Promise<CellList> {
    return (await (await this.whenMade(`/v1/images/${imageId}/cells`)).json()) as CellList;
  }

  private async whenMade(path: string): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.fetch(path);
      if (response.status !== 202 || attempt >= MADE_ON_REQUEST_ATTEMPTS) return response;
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)));
    }
  }
}
