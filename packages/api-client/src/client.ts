import type { ImageChange, LabSpecimenProgress, SpecimenProgress } from "@leukoflow/contracts";
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/ingest-api.js";
import { followEvents } from "./server-sent-events.js";

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { "application/json": infer T } } };
}
  ? T
  : never;

export type Problem = components["schemas"]["Problem"];
export type Specimen = Json<"/v1/specimens", "post", 201>;
export type SpecimenPage = Json<"/v1/specimens", "get", 200>;
export type SpecimenReport = Json<"/v1/specimens/{specimenId}", "get", 200>;
export type ReportImage = SpecimenReport["images"][number];
export type ReviewQueue = Json<"/v1/review-queue", "get", 200>;
export type Review = Json<"/v1/images/{imageId}/review", "post", 201>;
export type ReviewRequest = NonNullable<
  paths["/v1/images/{imageId}/review"]["post"]["requestBody"]
>["content"]["application/json"];
export type CellList = Json<"/v1/images/{imageId}/cells", "get", 200>;
export type DirectUploadTicket = Json<"/v1/specimens/{specimenId}/uploads", "post", 201>["uploads"][number];
export type MultipartUploadResult = Json<"/v1/specimens/{specimenId}/images", "post", 201>;
export type AcceptedImage = Json<"/v1/uploads/{uploadId}/complete", "post", 201>;
export type ListSpecimensQuery = NonNullable<paths["/v1/specimens"]["get"]["parameters"]["query"]>;

/** A problem+json answer of the ingest API. */
export class IngestApiError extends Error {
  override readonly name = "IngestApiError";
  /** The last segment of the problem's type URI (`not-found`, `conflict`…), stable to switch on. */
  readonly type: string;

  constructor(
    readonly status: number,
    readonly problem: Problem,
    request = "",
  ) {
    super(`${request ? `${request} → ${status} ` : ""}${problem.detail ?? problem.title}`);
    this.type = problem.type.split("/").at(-1) ?? "unknown";
  }

  /** The problem+json body of a failed response, or one made up when there is none. */
  static async from(response: Response, request = ""): Promise<IngestApiError> {
    const body = (await response.json().catch(() => null)) as Problem | null;
    return IngestApiError.of(response, body, request);
  }

  static of(response: Response, body: unknown, request = ""): IngestApiError {
    const problem = (body as Problem | null)?.title
      ? (body as Problem)
      : { type: "about:blank", title: response.statusText || "Request failed", status: response.status, instance: "" };
    return new IngestApiError(response.status, problem, request);
  }
}

/** How often a request refused with 503 (the pipeline is backlogged) is tried again after the Retry-After asked for. */
const BACKLOG_RETRIES = 20;
/** How often a picture made on first request is asked for before giving up (about a minute at Retry-After: 1). */
const MADE_ON_REQUEST_ATTEMPTS = 60;

const wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * The ingest API, typed by the OpenAPI document ingest serves (openapi-fetch over the types
 * openapi-typescript generates from it), with the lab's API key. Browser-safe: the web app uses it
 * with `baseUrl` "" (its own origin); tools on Node use NodeIngestApiClient from "./node".
 */
export class IngestApiClient {
  readonly api: Client<paths>;

  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {
    this.api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
  }

  listSpecimens(query: ListSpecimensQuery = {}): Promise<SpecimenPage> {
    return this.call("list specimens", () => this.api.GET("/v1/specimens", { params: { query } }));
  }

  async findSpecimen(accession: string): Promise<Specimen | null> {
    return (await this.listSpecimens({ accession })).items[0] ?? null;
  }

  createSpecimen(body: { accession: string; patientRef?: string }, idempotencyKey?: string): Promise<Specimen> {
    return this.call("create specimen", () =>
      this.api.POST("/v1/specimens", {
        body,
        params: { header: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} },
      }),
    );
  }

  /** The lab's specimen with this accession, registered now if it is new. */
  async ensureSpecimen(accession: string): Promise<Specimen> {
    const existing = await this.findSpecimen(accession);
    if (existing) return existing;
    try {
      return await this.createSpecimen({ accession }, `specimen:${accession}`);
    } catch (error) {
      const raced = error instanceof IngestApiError && error.status === 409 ? await this.findSpecimen(accession) : null;
      if (raced) return raced;
      throw error;
    }
  }

  report(specimenId: string): Promise<SpecimenReport> {
    return this.call("report", () => this.api.GET("/v1/specimens/{specimenId}", { params: { path: { specimenId } } }));
  }

  async requestUploads(
    specimenId: string,
    files: { fileName: string; byteSize: number; sha256: string }[],
  ): Promise<DirectUploadTicket[]> {
    const { uploads } = await this.call("request uploads", () =>
      this.api.POST("/v1/specimens/{specimenId}/uploads", { params: { path: { specimenId } }, body: { files } }),
    );
    return uploads;
  }

  completeUpload(uploadId: string): Promise<AcceptedImage> {
    return this.call("complete upload", () =>
      this.api.POST("/v1/uploads/{uploadId}/complete", { params: { path: { uploadId } } }),
    );
  }

  /** Unreviewed images, what teaches the next model most first; with `disagreesWith` (name@version), those that version in shadow labels differently. */
  reviewQueue(disagreesWith?: string): Promise<ReviewQueue> {
    return this.call("review queue", () =>
      this.api.GET("/v1/review-queue", { params: { query: disagreesWith ? { disagreesWith } : {} } }),
    );
  }

  review(imageId: string, body: ReviewRequest): Promise<Review> {
    return this.call("review", () =>
      this.api.POST("/v1/images/{imageId}/review", { params: { path: { imageId } }, body }),
    );
  }

  /** The segmented leukocytes of an image, each with its crop's URL (made on first request, as blob's pictures are). */
  async cells(imageId: string): Promise<CellList> {
    return (await (await this.whenMade(`/v1/images/${imageId}/cells`)).json()) as CellList;
  }

  /** A picture or export by the URL the API gave for it; one made on first request is asked for again after Retry-After. */
  async blob(path: string): Promise<Blob> {
    return (await this.whenMade(path)).blob();
  }

  /**
   * Follows a specimen's Server-Sent Events until it completes (resolving with its last progress),
   * the stream ends or `signal` aborts. `onImage` hears of each image whose status changed.
   */
  followSpecimen(
    specimenId: string,
    handlers: { onProgress(progress: SpecimenProgress): void; onImage?(change: ImageChange): void },
    signal?: AbortSignal,
  ): Promise<SpecimenProgress | null> {
    return followEvents(this.authorized(`/v1/specimens/${specimenId}/events`, { signal }), (event, data) => {
      if (event === "image") handlers.onImage?.(data as ImageChange);
      else handlers.onProgress(data as SpecimenProgress);
      return event === "completed" ? (data as SpecimenProgress) : undefined;
    });
  }

  /** Follows the progress of every specimen of the lab until `signal` aborts; `onReady` runs once following (read the list then). */
  async followLab(
    handlers: { onReady(): void; onProgress(progress: LabSpecimenProgress): void },
    signal?: AbortSignal,
  ): Promise<void> {
    await followEvents(this.authorized("/v1/specimens/events", { signal }), (event, data) => {
      if (event === "ready") handlers.onReady();
      else handlers.onProgress(data as LabSpecimenProgress);
      return undefined;
    });
  }

  /** A request of this client with its API key; a refused one throws IngestApiError. */
  protected async authorized(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.apiKey}`);
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    if (!response.ok) throw await IngestApiError.from(response, `GET ${path}`);
    return response;
  }

  /** Unwraps an openapi-fetch answer: its data, or an IngestApiError; 503 (backlogged) is retried as asked. */
  protected async call<T>(
    what: string,
    request: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const { data, error, response } = await request();
      if (response.ok && error === undefined) return data as T;
      if (response.status === 503 && attempt < BACKLOG_RETRIES) {
        await wait(Number(response.headers.get("retry-after") ?? 5));
        continue;
      }
      throw IngestApiError.of(response, error, what);
    }
  }

  private async whenMade(path: string): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.authorized(path);
      if (response.status !== 202 || attempt >= MADE_ON_REQUEST_ATTEMPTS) return response;
      await response.body?.cancel();
      await wait(Number(response.headers.get("retry-after") ?? 1));
    }
  }
}
