import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer } from "../test/ingest-harness.js";

const LIMIT = 5;
const MAX_FILES = 3;

/** What a hostile client can send besides bad files: odd paths, odd bodies, odd cursors, and requests it never finishes. */
describe("hostile requests", () => {
  const harness = useIngestServer({
    RATE_LIMIT_PER_KEY: String(LIMIT),
    RATE_LIMIT_WINDOW_SECONDS: "60",
    MAX_FILES_PER_REQUEST: String(MAX_FILES),
  });
  const { services } = harness;
  let labKey: () => Promise<string>;

  beforeAll(() => {
    let labs = 0;
    // A key of its own per test: the rate limit is small here, and counted per key.
    labKey = async () =>
      (await createTestLab(services.prisma, `lab-hostile-${labs++}`, ["READ", "WRITE", "ADMIN"])).key;
  });

  const get = (route: string, key?: string) =>
    fetch(`${harness.baseUrl}${route}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const problemType = async (response: Response) => {
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    return ((await response.json()) as { type: string }).type.split("/").at(-1);
  };

  it("authenticates on the route it matched: a percent-encoded path needs a key, and counts against that key's limit", async () => {
    for (const route of ["/%761/specimens", "/v%31/specimens", "/%76%31/specimens", "/v1/%73pecimens"]) {
      const anonymous = await get(route);
      expect(anonymous.status, route).toBe(401);
      expect(await problemType(anonymous)).toBe("unauthenticated");
    }
    const key = await labKey();
    const statuses = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await get("/%761/specimens", key)).status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });

  it("states the rate limit's window, not the time left in it", async () => {
    const key = await labKey();
    for (let i = 0; i < LIMIT; i++) expect((await get("/v1/specimens", key)).status).toBe(200);
    const limited = await get("/v1/specimens", key);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { detail: string }).detail).toBe(
      `This API key may make ${LIMIT} requests per 60 seconds`,
    );
  });

  it("answers a multipart request with too many files with exactly the files it kept", async () => {
    const key = await labKey();
    const specimen = await harness.createSpecimen(key, "HOSTILE-FILES");
    const files = ariaImages("benign", MAX_FILES + 2, 60).map((file, i) => ({
      name: `cell-${i}.jpg`,
      bytes: readFileSync(file),
    }));
    const response = await harness.upload(key, specimen.id, files);
    expect(response.status).toBe(207);
    const result = (await response.json()) as {
      accepted: { imageId: string; fileName: string }[];
      rejected: { status: number; type: string; detail: string }[];
    };
    expect(result.rejected).toEqual([expect.objectContaining({ status: 413, type: "too-many-files" })]);
    expect(result.rejected[0]!.detail).toMatch(`at most ${MAX_FILES} files`);
    const stored = await services.prisma.image.findMany({
      where: { specimenId: specimen.id },
      select: { id: true, originalName: true },
    });
    expect(stored.map((image) => image.id).sort()).toEqual(result.accepted.map((image) => image.imageId).sort());
    expect(result.accepted.map((image) => image.fileName)).toEqual(files.slice(0, MAX_FILES).map((file) => file.name));
  });

  it("answers 400 problem+json for a multipart body without a boundary, a malformed cursor and JSON nested thousands deep", async () => {
    const key = await labKey();
    const specimen = await harness.createSpecimen(key, "HOSTILE-SHAPES");
    const send = (route: string, body: string, contentType: string) =>
      fetch(`${harness.baseUrl}${route}`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${key}`, "content-type": contentType },
      });
    const cursor = (text: string) => Buffer.from(text).toString("base64url");
    const reader = await labKey();
    const answers = [
      await send(
        `/v1/specimens/${specimen.id}/images`,
        '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
        "multipart/form-data",
      ),
      await send(`/v1/specimens/${specimen.id}/images`, "no boundary at all", "multipart/form-data; boundary="),
      await get(`/v1/specimens?cursor=${cursor("2026-12-01T00:00:00.000Z|not-a-uuid")}`, reader),
      await get(`/v1/specimens?cursor=${cursor("2026-12-01T00:00:00.000Z|\u0000")}`, reader),
      await get(
        `/v1/specimens?cursor=${cursor(`2026-12-01T00:00:00.000Z|${"0".repeat(8)}-0000-0000-0000-00000000000\u0000`)}`,
        reader,
      ),
      await send("/v1/specimens", `${"[".repeat(5_000)}${"]".repeat(5_000)}`, "application/json"),
      await send("/v1/specimens", `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, "application/json"),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.url).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("strips bidirectional controls from file names, so a name cannot be shown reversed", async () => {
    const key = await labKey();
    const specimen = await harness.createSpecimen(key, "HOSTILE-BIDI");
    const [file] = ariaImages("benign", 1, 80);
    const spoofed = "report\u202Egpj.exe\u202C \u2066a\u2067b\u2068c\u2069 \u200Ed\u200Fe\u061Cf\u202A\u202B\u202D.jpg";
    const response = await harness.upload(key, specimen.id, [{ name: spoofed, bytes: readFileSync(file!) }]);
    expect(response.status).toBe(201);
    const [accepted] = ((await response.json()) as { accepted: { imageId: string; fileName: string }[] }).accepted;
    expect(accepted!.fileName).toBe("reportgpj.exe abc def.jpg");
    const row = await services.prisma.image.findUniqueOrThrow({ where: { id: accepted!.imageId } });
    expect(row.originalName).toBe("reportgpj.exe abc def.jpg");
  });
});
