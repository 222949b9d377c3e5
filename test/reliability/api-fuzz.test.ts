import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../../apps/ingest/test/ingest-harness.js";

/** Cases per route: enough to reach the odd corners of each schema, within the suite's time budget. */
const RUNS_PER_ROUTE = 200;
/** Fixed so that CI is reproducible; set FUZZ_SEED to explore other cases locally. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** Characters that have broken parsers, databases and paths before, often enough to matter. */
const hostileCharacter = fc.constantFrom("\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "\n", "/", "\\", "..", "%", "'", "\"", "{", "$");
/** Strings with every kind of character, NUL and lone surrogates included. */
const anyText = fc.string({ unit: fc.oneof(hostileCharacter, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 300 });
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyText);
const percentEncoded = (bytes: Uint8Array) => Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
/** A path segment as a client could send it: ids, arbitrary bytes percent-encoded, broken escapes. */
const pathSegment = fc.oneof(
  fc.uuid(),
  anyText.filter((text) => text.length > 0).map((text) => percentEncoded(Buffer.from(text))),
  fc.uint8Array({ minLength: 1, maxLength: 60 }).map(percentEncoded),
  fc.constantFrom("%", "%zz", "%c0%ae%c0%ae", ".", "%2e%2e", "%00"),
);
const shapedLike = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.oneof(fc.record(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, fc.oneof(value, anyJson)])), { requiredKeys: [] }), anyJson);

interface FuzzRequest {
  method: string;
  route: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Request shapes thrown at every /v1 route by one lab with every scope: whatever they hold, the
 * answer is a 2xx or a problem+json 4xx, never a 5xx.
 */
describe("API request fuzzing", () => {
  const harness = useIngestServer({ RATE_LIMIT_PER_KEY: "0", MAX_UPLOAD_BYTES: "100000" });
  let lab: TestLab;
  let specimenId: string;

  beforeAll(async () => {
    lab = await createTestLab(harness.services.prisma, "lab-fuzz", ["READ", "WRITE", "ADMIN"]);
    specimenId = (await harness.createSpecimen(lab.key, "FUZZ-1")).id;
  });

  const routes: Record<string, fc.Arbitrary<FuzzRequest>> = {
    "POST /v1/specimens": fc.record({
      body: shapedLike({ accession: anyText, patientRef: anyText }),
      idempotencyKey: fc.option(anyText.filter((text) => /^[\t\x20-\x7e]*$/.test(text))),
    }).map(({ body, idempotencyKey }): FuzzRequest => ({
      method: "POST", route: "/v1/specimens", body, headers: idempotencyKey === null ? {} : { "idempotency-key": idempotencyKey },
    })),
    "GET /v1/specimens": fc.dictionary(fc.constantFrom("status", "accession", "limit", "cursor", "x"), anyText).map((query) => ({
      method: "GET", route: `/v1/specimens?${new URLSearchParams(query).toString()}`,
    })),
    "GET /v1/specimens/:id[/events|/fhir]": fc.tuple(pathSegment, fc.constantFrom("", "/fhir", "/events")).map(([id, suffix]) => ({
      method: "GET", route: `/v1/specimens/${id}${suffix}`,
    })),
    "POST /v1/specimens/:id/uploads": fc.tuple(
      fc.oneof(fc.constant(null), pathSegment),
      shapedLike({ files: fc.array(shapedLike({ fileName: anyText, byteSize: fc.oneof(fc.integer(), fc.double()), sha256: anyText }), { maxLength: 4 }) }),
    ).map(([id, body]) => ({ method: "POST", route: `/v1/specimens/${id ?? specimenId}/uploads`, body })),
    "POST /v1/uploads/:id/complete": pathSegment.map((id) => ({ method: "POST", route: `/v1/uploads/${id}/complete` })),
    "GET /v1/images/:id/:variant": fc.tuple(pathSegment, fc.oneof(fc.constantFrom("original", "preprocessed", "gradcam"), pathSegment)).map(([id, variant]) => ({
      method: "GET", route: `/v1/images/${id}/${variant}`,
    })),
    "POST /v1/images/:id/review": fc.tuple(pathSegment, shapedLike({ decision: fc.constantFrom("CONFIRMED", "OVERRIDDEN"), label: anyText, reason: anyText })).map(
      ([id, body]) => ({ method: "POST", route: `/v1/images/${id}/review`, body }),
    ),
    "POST /v1/api-keys": shapedLike({ name: anyText, scopes: fc.array(fc.oneof(fc.constantFrom("READ", "WRITE", "ADMIN"), anyText)) }).map((body) => ({
      method: "POST", route: "/v1/api-keys", body,
    })),
    "DELETE /v1/api-keys/:id": pathSegment.map((id) => ({ method: "DELETE", route: `/v1/api-keys/${id}` })),
    "PUT /v1/webhook": shapedLike({ url: fc.oneof(fc.webUrl(), anyText) }).map((body) => ({ method: "PUT", route: "/v1/webhook", body })),
  };

  for (const [name, requests] of Object.entries(routes)) {
    it(`${name}: no 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const response = await harness.json(lab.key, request.method, request.route, request.body, request.headers);
          const body = await response.text();
          expect(response.status, `${request.method} ${request.route} ${JSON.stringify(request.body)} → ${body}`).toBeLessThan(500);
          if (response.status >= 400) expect(response.headers.get("content-type")).toContain("application/problem+json");
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED },
      );
    });
  }

  it("POST /v1/specimens/:id/images with arbitrary multipart parts: no 5xx", async () => {
    const parts = fc.array(fc.record({ name: anyText, bytes: fc.uint8Array({ maxLength: 2_000 }), field: fc.constantFrom("images", "file", "") }), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(parts, async (files) => {
        const form = new FormData();
        for (const file of files) form.append(file.field, new Blob([file.bytes]), file.name);
        const response = await harness.call(lab.key, "POST", `/v1/specimens/${specimenId}/images`, form);
        expect(response.status, await response.text()).toBeLessThan(500);
      }),
      { numRuns: RUNS_PER_ROUTE / 2, seed: SEED },
    );
  });
});
