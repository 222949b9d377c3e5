import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../../apps/ingest/test/ingest-harness.js";

/** Cases per route: enough to reach the odd corners of each schema, within the suite's time budget. */
const RUNS_PER_ROUTE = 200;
/** Fixed so that CI is reproducible; set FUZZ_SEED to explore other cases locally. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** Characters that have broken parsers, databases and paths before, often enough to matter. */
const hostileCharacter = fc.constantFrom(
  "\u0000",
  "\ud800",
  "\udfff",
  "\u202e",
  "\ufeff",
  "\n",
  "/",
  "\\",
  "..",
  "%",
  "'",
  '"',
  "{",
  "$",
);
/** Strings with every kind of character, NUL and lone surrogates included. */
const anyText = fc.string({
  unit: fc.oneof(hostileCharacter, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
  maxLength: 300,
});
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyText);
const percentEncoded = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
/** A path segment as a client could send it: ids, arbitrary bytes percent-encoded, broken escapes. */
const pathSegment = fc.oneof(
  fc.uuid(),
  anyText.filter((text) => text.length > 0).map((text) => percentEncoded(Buffer.from(text))),
  fc.uint8Array({ minLength: 1, maxLength: 60 }).map(percentEncoded),
  fc.constantFrom("%", "%zz", "%c0%ae%c0%ae", ".", "%2e%2e", "%00"),
);
const shapedLike = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.oneof(
    fc.record(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, fc.oneof(value, anyJson)])), {
      requiredKeys: [],
    }),
    anyJson,
  );

/** Cursors as a client could forge them: a date and anything for the id, or no structure at all. */
const malformedCursor = fc.oneof(
  fc
    .tuple(fc.date({ noInvalidDate: true }), anyText)
    .map(([date, id]) => Buffer.from(`${date.toISOString()}|${id}`).toString("base64url")),
  anyText.map((text) => Buffer.from(text).toString("base64url")),
  anyText,
);
/** JSON text nested far deeper than any request, arrays or objects (a stack overflow's favourite); text, so that nothing recurses to show it. */
const deepJson = fc
  .tuple(
    fc.integer({ min: 60, max: 6_000 }),
    fc.constantFrom(["[", "]"] as const, ['{"a":', "}"] as const, ['{"accession":', "}"] as const),
    fc.constantFrom("1", '"\\u0000"', "[]"),
  )
  .map(([depth, [open, close], leaf]) => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`);
/** The routes as paths, for percent-encoding any of their characters. */
const routePath = fc.constantFrom(
  "/v1/specimens",
  "/v1/api-keys",
  "/v1/webhook",
  `/v1/specimens/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`,
);
const percentEncodeSome = (path: string, picks: boolean[]) =>
  Array.from(path, (char, i) =>
    picks[i % picks.length] && char !== "/" ? `%${char.charCodeAt(0).toString(16).padStart(2, "0")}` : char,
  ).join("");

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
    "POST /v1/specimens": fc
      .record({
        body: shapedLike({ accession: anyText, patientRef: anyText }),
        idempotencyKey: fc.option(anyText.filter((text) => /^[\t\x20-\x7e]*$/.test(text))),
      })
      .map(({ body, idempotencyKey }): FuzzRequest => ({
        method: "POST",
        route: "/v1/specimens",
        body,
        headers: idempotencyKey === null ? {} : { "idempotency-key": idempotencyKey },
      })),
    "GET /v1/specimens": fc
      .dictionary(fc.constantFrom("status", "accession", "limit", "cursor", "x"), anyText)
      .map((query) => ({
        method: "GET",
        route: `/v1/specimens?${new URLSearchParams(query).toString()}`,
      })),
    "GET /v1/specimens/:id[/events|/fhir]": fc
      .tuple(pathSegment, fc.constantFrom("", "/fhir", "/events"))
      .map(([id, suffix]) => ({
        method: "GET",
        route: `/v1/specimens/${id}${suffix}`,
      })),
    "POST /v1/specimens/:id/uploads": fc
      .tuple(
        fc.oneof(fc.constant(null), pathSegment),
        shapedLike({
          files: fc.array(
            shapedLike({ fileName: anyText, byteSize: fc.oneof(fc.integer(), fc.double()), sha256: anyText }),
            { maxLength: 4 },
          ),
        }),
      )
      .map(([id, body]) => ({ method: "POST", route: `/v1/specimens/${id ?? specimenId}/uploads`, body })),
    "POST /v1/uploads/:id/complete": pathSegment.map((id) => ({ method: "POST", route: `/v1/uploads/${id}/complete` })),
    "GET /v1/images/:id/:variant": fc
      .tuple(pathSegment, fc.oneof(fc.constantFrom("original", "preprocessed", "gradcam"), pathSegment))
      .map(([id, variant]) => ({
        method: "GET",
        route: `/v1/images/${id}/${variant}`,
      })),
    "POST /v1/images/:id/review": fc
      .tuple(
        pathSegment,
        shapedLike({ decision: fc.constantFrom("CONFIRMED", "OVERRIDDEN"), label: anyText, reason: anyText }),
      )
      .map(([id, body]) => ({ method: "POST", route: `/v1/images/${id}/review`, body })),
    "POST /v1/api-keys": shapedLike({
      name: anyText,
      scopes: fc.array(fc.oneof(fc.constantFrom("READ", "WRITE", "ADMIN"), anyText)),
    }).map((body) => ({
      method: "POST",
      route: "/v1/api-keys",
      body,
    })),
    "DELETE /v1/api-keys/:id": pathSegment.map((id) => ({ method: "DELETE", route: `/v1/api-keys/${id}` })),
    "PUT /v1/webhook": shapedLike({ url: fc.oneof(fc.webUrl(), anyText) }).map((body) => ({
      method: "PUT",
      route: "/v1/webhook",
      body,
    })),
    "GET /v1/specimens?cursor=<malformed>": malformedCursor.map((cursor) => ({
      method: "GET",
      route: `/v1/specimens?${new URLSearchParams({ cursor }).toString()}`,
    })),
  };

  for (const [name, requests] of Object.entries(routes)) {
    it(`${name}: no 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const response = await harness.json(lab.key, request.method, request.route, request.body, request.headers);
          // An event stream (the lab's, reached by a segment that decodes to "events") stays open: its status is the answer.
          const streaming = response.headers.get("content-type")?.startsWith("text/event-stream");
          const body = streaming ? (await response.body?.cancel(), "(event stream)") : await response.text();
          expect(
            response.status,
            `${request.method} ${request.route} ${JSON.stringify(request.body)} → ${body}`,
          ).toBeLessThan(500);
          if (response.status >= 400)
            expect(response.headers.get("content-type")).toContain("application/problem+json");
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED },
      );
    });
  }

  it("percent-encoded paths: authenticated like the route they reach, no 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(routePath, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), async (path, picks) => {
        const route = percentEncodeSome(path, picks);
        const anonymous = await fetch(`${harness.baseUrl}${route}`);
        expect([401, 404], `${route} without a key → ${anonymous.status}`).toContain(anonymous.status);
        const response = await harness.call(lab.key, "GET", route);
        expect(response.status, `${route} → ${await response.text()}`).toBeLessThan(500);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: SEED },
    );
  });

  it("JSON nested thousands of levels deep: 400, no 5xx", async () => {
    const target = fc.constantFrom(
      ["POST", "/v1/specimens"] as const,
      ["POST", "/v1/api-keys"] as const,
      ["PUT", "/v1/webhook"] as const,
      ["POST", "/v1/images/00000000-0000-4000-8000-000000000000/review"] as const,
    );
    await fc.assert(
      fc.asyncProperty(target, deepJson, async ([method, route], body) => {
        const response = await harness.call(lab.key, method, route, body, { "content-type": "application/json" });
        expect(
          response.status,
          `${method} ${route} with ${body.length} characters of nesting → ${await response.text()}`,
        ).toBe(400);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
      }),
      { numRuns: RUNS_PER_ROUTE / 4, seed: SEED },
    );
  });

  it("multipart bodies with missing, empty, quoted, mismatched or oversized boundaries: no 5xx", async () => {
    const boundary = fc.oneof(
      fc.constant(null),
      fc.constantFrom("", '""', '"x"', "x".repeat(71), "x".repeat(300), "%00"),
      anyText.filter((text) => /^[\x20-\x7e]*$/.test(text)),
    );
    const bodyBoundary = fc.oneof(
      fc.constantFrom("x", "", "y"),
      anyText.filter((text) => /^[\x20-\x7e]*$/.test(text)),
    );
    await fc.assert(
      fc.asyncProperty(
        boundary,
        bodyBoundary,
        fc.uint8Array({ maxLength: 500 }),
        fc.boolean(),
        async (declared, used, bytes, closed) => {
          const head = Buffer.from(
            `--${used}\r\ncontent-disposition: form-data; name="images"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
          );
          const body = Buffer.concat([head, Buffer.from(bytes), Buffer.from(closed ? `\r\n--${used}--\r\n` : "")]);
          const contentType = declared === null ? "multipart/form-data" : `multipart/form-data; boundary=${declared}`;
          const response = await harness.call(lab.key, "POST", `/v1/specimens/${specimenId}/images`, body, {
            "content-type": contentType,
          });
          expect(response.status, `${contentType} → ${await response.text()}`).toBeLessThan(500);
          if (response.status >= 400)
            expect(response.headers.get("content-type")).toContain("application/problem+json");
        },
      ),
      { numRuns: RUNS_PER_ROUTE / 2, seed: SEED },
    );
  });

  it("POST /v1/specimens/:id/images with arbitrary multipart parts: no 5xx", async () => {
    const parts = fc.array(
      fc.record({
        name: anyText,
        bytes: fc.uint8Array({ maxLength: 2_000 }),
        field: fc.constantFrom("images", "file", ""),
      }),
      { maxLength: 3 },
    );
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
