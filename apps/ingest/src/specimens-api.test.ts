import { beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

interface Page {
  items: { id: string; accession: string; status: string }[];
  nextCursor: string | null;
}

describe("specimens API", () => {
  const harness = useIngestServer();
  const { services, json, call } = harness;
  let lab: TestLab;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-specimens");
  });

  it("replays the first response for a repeated Idempotency-Key and refuses the key for a different body", async () => {
    const headers = { "idempotency-key": "bench-7-batch-42" };
    const first = await json(lab.key, "POST", "/v1/specimens", { accession: "IDEM-1", patientRef: "P-9" }, headers);
    expect(first.status).toBe(201);
    const again = await json(lab.key, "POST", "/v1/specimens", { patientRef: "P-9", accession: "IDEM-1" }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());

    const reused = await json(lab.key, "POST", "/v1/specimens", { accession: "IDEM-2" }, headers);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { type: string }).type).toMatch(/\/idempotency-key-reused$/);
    expect(
      await services.prisma.specimen.count({ where: { labId: lab.lab.id, accession: { startsWith: "IDEM-" } } }),
    ).toBe(1);

    const withoutKey = await json(lab.key, "POST", "/v1/specimens", { accession: "IDEM-1" });
    expect(withoutKey.status).toBe(409);
    expect(((await withoutKey.json()) as { type: string }).type).toMatch(/\/specimen-exists$/);
  });

  it("creates one specimen when the same keyed request arrives concurrently", async () => {
    const headers = { "idempotency-key": "concurrent-1" };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => json(lab.key, "POST", "/v1/specimens", { accession: "RACE-1" }, headers)),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(
      await Promise.all(responses.map(async (response) => ((await response.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
  });

  it("pages through the lab's specimens with a cursor, newest first, and filters by status and accession", async () => {
    const pagingLab = await createTestLab(services.prisma, "lab-paging");
    for (let i = 0; i < 7; i++) await harness.createSpecimen(pagingLab.key, `PAGE-${i}`);
    const [completed] = await services.prisma.specimen.findMany({
      where: { labId: pagingLab.lab.id, accession: "PAGE-3" },
    });
    await services.prisma.specimen.update({ where: { id: completed!.id }, data: { status: "COMPLETED" } });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
      const page = (await (await call(pagingLab.key, "GET", `/v1/specimens${query}`)).json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.accession));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["PAGE-6", "PAGE-5", "PAGE-4", "PAGE-3", "PAGE-2", "PAGE-1", "PAGE-0"]);

    const completedPage = (await (await call(pagingLab.key, "GET", "/v1/specimens?status=COMPLETED")).json()) as Page;
    expect(completedPage.items.map((item) => item.accession)).toEqual(["PAGE-3"]);
    const byAccession = (await (await call(pagingLab.key, "GET", "/v1/specimens?accession=PAGE-5")).json()) as Page;
    expect(byAccession.items.map((item) => item.accession)).toEqual(["PAGE-5"]);
    expect((await call(pagingLab.key, "GET", "/v1/specimens?status=DONE")).status).toBe(400);
    expect((await call(pagingLab.key, "GET", "/v1/specimens?cursor=garbage")).status).toBe(400);
  });

  it("gets a specimen with its images", async () => {
    const created = await harness.createSpecimen(lab.key, "GET-1");
    const response = await call(lab.key, "GET", `/v1/specimens/${created.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: created.id,
      accession: "GET-1",
      status: "RECEIVED",
      images: [],
      summary: null,
    });
  });
});
